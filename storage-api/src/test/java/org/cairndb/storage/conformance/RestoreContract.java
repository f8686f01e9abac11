package org.cairndb.storage.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.cairndb.storage.BulkRestore;
import org.cairndb.storage.Capability;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.Oid;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageMisuseException;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * restore, the path of copy and import: commits a transaction under its given tid, metadata and
 * revisions (including revisions without data and backpointers) with no conflict check, and
 * refuses a tid that is not greater than the last. A copy of a storage through iteration and
 * restore iterates exactly like the original. (ZODB's RecoveryStorage: checkSimpleRecovery,
 * copyTransactionsFrom, restore of undo records.)
 */
public interface RestoreContract extends StorageContract {

    private static long tidAt(int year) {
        return Tid.of(LocalDateTime.of(year, 5, 17, 10, 30, 15).toInstant(ZoneOffset.UTC));
    }

    @Test
    default void restore_thenLoadAndIterate_exactlyAsGiven(Storage s) {
        long t1 = tidAt(2001);
        long t2 = tidAt(2002);
        long t3 = tidAt(2003);
        byte[] ext = {1, 2, 3, 0, -1};
        TransactionRecord r1 = new TransactionRecord(
                t1,
                false,
                new TransactionMetadata("zope", "initial", ext),
                List.of(
                        Revision.of(Oid.ROOT, t1, Records.object("root", 5)),
                        Revision.of(5, t1, Records.foreign("pickle 5"))));
        TransactionRecord r2 = new TransactionRecord(
                t2,
                true,
                TransactionMetadata.of("admin", "packed one"),
                List.of(Revision.of(5, t2, Records.foreign("pickle 5 v2"))));
        TransactionRecord r3 = new TransactionRecord(
                t3,
                false,
                TransactionMetadata.of("", "undo"),
                List.of(
                        new Revision(5, t3, Records.foreign("pickle 5"), t1), // backpointer: reuses t1's data
                        new Revision(6, t3, null, Tid.ZERO))); // a revision without data
        s.restore(r1);
        s.restore(r2);
        s.restore(r3);
        assertThat(s.lastTid()).isEqualTo(t3);
        assertThat(s.load(Oid.ROOT).tid()).isEqualTo(t1);
        assertThat(s.load(5).data()).isEqualTo(Records.foreign("pickle 5"));
        assertThat(s.load(5).tid()).isEqualTo(t3);
        assertThatThrownBy(() -> s.load(6)).isInstanceOf(PosKeyException.class);
        List<TransactionRecord> all = Kit.transactions(s);
        if (s.supports(Capability.HISTORY)) {
            assertThat(all).containsExactly(r1, r2, r3);
        } else {
            // Without history, superseded revisions and revisions without data may be gone
            // (their transactions then flagged packed), but what is current is exact.
            assertThat(all).extracting(TransactionRecord::tid).isSorted().contains(t3);
            TransactionRecord last = all.get(all.size() - 1);
            assertThat(last.tid()).isEqualTo(t3);
            assertThat(last.metadata()).isEqualTo(r3.metadata());
            assertThat(last.revisions()).contains(new Revision(5, t3, Records.foreign("pickle 5"), t1));
            TransactionRecord first = all.get(0);
            assertThat(first.tid()).isEqualTo(t1);
            assertThat(first.metadata()).isEqualTo(r1.metadata());
            assertThat(first.revisions()).contains(Revision.of(Oid.ROOT, t1, Records.object("root", 5)));
        }
    }

    @Test
    default void restore_tidNotGreaterThanLast_refusedAndNothingChanged(Storage s) {
        long t1 = tidAt(2010);
        s.restore(new TransactionRecord(
                t1, false, TransactionMetadata.EMPTY, List.of(Revision.of(Oid.ROOT, t1, Records.object("r")))));
        for (long bad : new long[] {t1, t1 - 1, tidAt(1999)}) {
            TransactionRecord r = new TransactionRecord(
                    bad, false, TransactionMetadata.EMPTY, List.of(Revision.of(Oid.ROOT, bad, Records.object("bad"))));
            assertThatThrownBy(() -> s.restore(r))
                    .isInstanceOf(StorageMisuseException.class)
                    .hasMessageContaining(Tid.hex(bad))
                    .hasMessageContaining(Tid.hex(t1));
        }
        assertThat(s.lastTid()).isEqualTo(t1);
        assertThat(Records.text(s.load(Oid.ROOT).data())).isEqualTo("r");
        assertThat(Kit.transactions(s)).hasSize(1);
    }

    @Test
    default void restore_noConflictCheck_overwritesAnyRevision(Storage s) {
        long t1 = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("committed"));
        long t2 = Tid.next(t1);
        s.restore(new TransactionRecord(
                t2, false, TransactionMetadata.EMPTY, List.of(Revision.of(Oid.ROOT, t2, Records.object("restored")))));
        assertThat(s.load(Oid.ROOT).tid()).isEqualTo(t2);
        assertThat(Records.text(s.load(Oid.ROOT).data())).isEqualTo("restored");
    }

    @Test
    default void restore_tidFarInFuture_laterCommitsStillIncrease(Storage s) {
        long future = tidAt(2600);
        s.restore(new TransactionRecord(
                future, false, TransactionMetadata.EMPTY, List.of(Revision.of(Oid.ROOT, future, Records.object("r")))));
        long next = Kit.update(s, Oid.ROOT, Records.object("after"));
        assertThat(next).isGreaterThan(future);
        assertThat(s.lastTid()).isEqualTo(next);
    }

    @Test
    default void restore_thenNormalCommit_conflictsAgainstRestoredTid(Storage s) {
        long t1 = tidAt(2020);
        s.restore(new TransactionRecord(
                t1, false, TransactionMetadata.EMPTY, List.of(Revision.of(Oid.ROOT, t1, Records.object("r")))));
        long t2 = Kit.commit(s, Oid.ROOT, t1, Records.object("edited"));
        assertThat(t2).isGreaterThan(t1);
        var t = s.begin(TransactionMetadata.EMPTY);
        Throwable e = Kit.storeAndVoteFailure(t, () -> t.store(Oid.ROOT, t1, Records.object("stale")));
        t.abort();
        assertThat(e).isInstanceOf(org.cairndb.storage.ConflictException.class);
    }

    @Test
    default void copy_throughIterationAndRestore_iteratesIdentically(StorageFixture f) {
        Storage src = f.open();
        long[] a = Kit.commitNew(src, Records.object("a1"));
        Kit.commit(src, Oid.ROOT, Tid.ZERO, Records.object("root", a[0]));
        Kit.update(src, a[0], Records.object("a2"));
        long[] b = Kit.commitNew(src, Records.foreign("b"));
        Kit.delete(src, b[0]);
        var t = src.begin(new TransactionMetadata("u", "many", new byte[] {9, 9}));
        long[] more = src.newOids(50);
        for (long oid : more) t.store(oid, Tid.ZERO, Records.counter(oid));
        t.vote();
        t.finish();
        Storage dst = f.open();
        try (CloseableIterator<TransactionRecord> it = src.iterator(Tid.ZERO, Tid.MAX)) {
            while (it.hasNext()) dst.restore(it.next());
        }
        assertThat(Kit.transactions(dst)).isEqualTo(Kit.transactions(src));
        assertThat(dst.lastTid()).isEqualTo(src.lastTid());
        assertThat(dst.objectCount()).isEqualTo(src.objectCount());
        for (long oid : new long[] {Oid.ROOT, a[0], more[0], more[49]}) {
            assertThat(dst.load(oid).data()).isEqualTo(src.load(oid).data());
            assertThat(dst.load(oid).tid()).isEqualTo(src.load(oid).tid());
        }
        assertThatThrownBy(() -> dst.load(b[0])).isInstanceOf(PosKeyException.class);
    }

    @Test
    default void bulkRestore_batchIsAllOrNothing(Storage s) {
        Assumptions.assumeTrue(s instanceof BulkRestore, "storage " + s.name() + " does not implement BulkRestore");
        BulkRestore bulk = (BulkRestore) s;
        List<TransactionRecord> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long tid = tidAt(2001 + i);
            batch.add(new TransactionRecord(
                    tid,
                    false,
                    TransactionMetadata.of("bulk", "t" + i),
                    List.of(Revision.of(i + 1, tid, Records.object("o" + i)))));
        }
        bulk.restoreBatch(batch);
        assertThat(Kit.transactions(s)).isEqualTo(batch);
        List<TransactionRecord> bad = new ArrayList<>();
        bad.add(new TransactionRecord(
                tidAt(2100),
                false,
                TransactionMetadata.EMPTY,
                List.of(Revision.of(100, tidAt(2100), Records.object("x")))));
        bad.add(new TransactionRecord(
                tidAt(2050),
                false,
                TransactionMetadata.EMPTY,
                List.of(Revision.of(101, tidAt(2050), Records.object("y")))));
        assertThatThrownBy(() -> bulk.restoreBatch(bad)).isInstanceOf(StorageMisuseException.class);
        assertThat(s.lastTid()).isEqualTo(tidAt(2020));
        assertThatThrownBy(() -> s.load(100)).isInstanceOf(PosKeyException.class);
    }

    @Test
    default void restore_readableAsTime(Storage s) {
        long t = tidAt(2004);
        s.restore(new TransactionRecord(
                t, false, TransactionMetadata.EMPTY, List.of(Revision.of(Oid.ROOT, t, Records.object("r")))));
        assertThat(Tid.toInstant(s.lastTid()))
                .isBetween(Instant.parse("2004-05-17T10:30:14Z"), Instant.parse("2004-05-17T10:30:16Z"));
    }
}
