package org.cairndb.storage.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cairndb.storage.Capability;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.Oid;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;
import org.junit.jupiter.api.Test;

/**
 * Transaction iteration, the path of copy and export: tid order, inclusive ranges, metadata
 * exactly as committed (user, description, extension bytes, packed flag), revisions in the
 * order written with their data, deletions as revisions without data. Storages without
 * {@link Capability#HISTORY} may omit revisions that were superseded, but every current
 * revision appears. (ZODB's IteratorStorage: checkSimpleIteration, checkIterator_Range,
 * checkTransactionExtensionFromIterator, checkIterateRepeatedly, checkIterateWhileWriting.)
 */
public interface IterationContract extends StorageContract {

    @Test
    default void iterator_emptyStorage_yieldsNothing(Storage s) {
        assertThat(Kit.transactions(s)).isEmpty();
    }

    @Test
    default void iterator_inTidOrder_withExactMetadataAndRevisions(Storage s) {
        byte[] ext = new byte[300];
        for (int i = 0; i < ext.length; i++) ext[i] = (byte) (i * 7);
        List<TransactionMetadata> metas = List.of(
                new TransactionMetadata("alice", "first", ext),
                TransactionMetadata.EMPTY,
                new TransactionMetadata(
                        "bj\u00f6rn \u2603",
                        "d\u00e9j\u00e0 vu\nsecond line",
                        "{'k': 1}".getBytes(StandardCharsets.UTF_8)));
        List<Long> tids = new ArrayList<>();
        List<long[]> oidsPerTxn = new ArrayList<>();
        for (TransactionMetadata m : metas) {
            long[] oids = s.newOids(3);
            StorageTransaction t = s.begin(m);
            // written in a non-sorted order: iteration keeps the order written
            t.store(oids[2], Tid.ZERO, Records.object("c"));
            t.store(oids[0], Tid.ZERO, Records.object("a"));
            t.store(oids[1], Tid.ZERO, Records.foreign("b"));
            t.vote();
            tids.add(t.finish());
            oidsPerTxn.add(oids);
        }
        List<TransactionRecord> all = Kit.transactions(s);
        assertThat(all).extracting(TransactionRecord::tid).containsExactlyElementsOf(tids);
        for (int i = 0; i < metas.size(); i++) {
            TransactionRecord r = all.get(i);
            assertThat(r.metadata()).isEqualTo(metas.get(i));
            assertThat(r.packed()).isFalse();
            long[] oids = oidsPerTxn.get(i);
            long tid = tids.get(i);
            Revision[] written = {
                Revision.of(oids[2], tid, Records.object("c")),
                Revision.of(oids[0], tid, Records.object("a")),
                Revision.of(oids[1], tid, Records.foreign("b"))
            };
            if (s.supports(Capability.HISTORY)) {
                assertThat(r.revisions()).containsExactly(written);
            } else {
                // a storage without history rebuilds transactions from current state and may
                // not know the order the revisions were written in
                assertThat(r.revisions()).containsExactlyInAnyOrder(written);
            }
        }
    }

    @Test
    default void iterator_range_isInclusiveAndBounded(Storage s) {
        List<Long> tids = new ArrayList<>();
        for (int i = 0; i < 6; i++) tids.add(Kit.commitNew(s, Records.object("o" + i))[1]);
        assertThat(Kit.transactions(s, tids.get(1), tids.get(3)))
                .extracting(TransactionRecord::tid)
                .containsExactly(tids.get(1), tids.get(2), tids.get(3));
        assertThat(Kit.transactions(s, tids.get(1) + 1, tids.get(3) - 1))
                .extracting(TransactionRecord::tid)
                .containsExactly(tids.get(2));
        assertThat(Kit.transactions(s, tids.get(4), Tid.MAX))
                .extracting(TransactionRecord::tid)
                .containsExactly(tids.get(4), tids.get(5));
        assertThat(Kit.transactions(s, Tid.ZERO, tids.get(0)))
                .extracting(TransactionRecord::tid)
                .containsExactly(tids.get(0));
        try {
            assertThat(Kit.transactions(s, tids.get(3), tids.get(1)))
                    .as("from > to")
                    .isEmpty();
        } catch (org.cairndb.storage.StorageMisuseException e) {
            assertThat(e).hasMessageContaining(Tid.hex(tids.get(3)));
        }
        assertThat(Kit.transactions(s, tids.get(5) + 1, Tid.MAX)).isEmpty();
    }

    @Test
    default void iterator_deletion_isRevisionWithoutData(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("alive"));
        Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("root"));
        long td = Kit.delete(s, a[0]);
        List<TransactionRecord> last = Kit.transactions(s, td, td);
        if (!s.supports(Capability.HISTORY)
                && (last.isEmpty() || last.get(0).revisions().isEmpty())) {
            // a storage without history may forget a deletion once nothing needs it; the object
            // must then be absent from iteration altogether
            for (TransactionRecord r : Kit.transactions(s))
                assertThat(r.revisions()).noneMatch(rev -> rev.oid() == a[0]);
            return;
        }
        assertThat(last.get(0).revisions()).singleElement().satisfies(r -> {
            assertThat(r.oid()).isEqualTo(a[0]);
            assertThat(r.hasData()).isFalse();
            assertThat(r.tid()).isEqualTo(td);
        });
    }

    @Test
    default void iterator_history_everyRevisionOfEveryTransaction(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("1"));
        long t2 = Kit.update(s, a[0], Records.object("2"));
        long t3 = Kit.update(s, a[0], Records.object("3"));
        List<TransactionRecord> all = Kit.transactions(s);
        if (s.supports(Capability.HISTORY)) {
            assertThat(all).extracting(TransactionRecord::tid).containsExactly(a[1], t2, t3);
            assertThat(all.get(1).revisions()).containsExactly(Revision.of(a[0], t2, Records.object("2")));
        } else {
            assertThat(all).extracting(TransactionRecord::tid).contains(t3).isSorted();
        }
        assertThat(all.get(all.size() - 1).revisions()).containsExactly(Revision.of(a[0], t3, Records.object("3")));
    }

    @Test
    default void iterator_everyCurrentRevisionAppearsOnce(Storage s) {
        long[] oids = s.newOids(10);
        Map<Long, Long> current = new HashMap<>();
        for (int round = 0; round < 5; round++) {
            StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
            for (int i = round; i < oids.length; i += 2)
                t.store(oids[i], Kit.loadedTid(s, oids[i]), Records.object("r" + round));
            t.vote();
            long tid = t.finish();
            for (int i = round; i < oids.length; i += 2) current.put(oids[i], tid);
        }
        Map<Long, Integer> seenCurrent = new HashMap<>();
        for (TransactionRecord r : Kit.transactions(s)) {
            for (Revision rev : r.revisions()) {
                assertThat(rev.tid()).isEqualTo(r.tid());
                if (current.get(rev.oid()) == r.tid()) seenCurrent.merge(rev.oid(), 1, Integer::sum);
            }
        }
        assertThat(seenCurrent)
                .hasSize(current.size())
                .allSatisfy((oid, n) -> assertThat(n).isEqualTo(1));
    }

    @Test
    default void iterator_repeatable_andClosableEarly(Storage s) {
        for (int i = 0; i < 5; i++) Kit.commitNew(s, Records.object("o" + i));
        assertThat(Kit.transactions(s)).isEqualTo(Kit.transactions(s));
        try (CloseableIterator<TransactionRecord> it = s.iterator(Tid.ZERO, Tid.MAX)) {
            assertThat(it.hasNext()).isTrue();
            it.next();
        }
        assertThat(Kit.transactions(s)).hasSize(5);
    }

    @Test
    default void iterator_whileWriting_yieldsWholeTransactionsInOrder(Storage s) {
        long[] oids = s.newOids(4);
        for (int i = 0; i < 30; i++) {
            StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
            for (long oid : oids) t.store(oid, Kit.loadedTid(s, oid), Records.object("i" + i));
            t.vote();
            t.finish();
        }
        AtomicBoolean stop = new AtomicBoolean();
        Threads.Task<Integer> writer = Threads.start("writer", () -> {
            int n = 0;
            while (!stop.get() && n < 2000) {
                StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
                for (long oid : oids) t.store(oid, Kit.loadedTid(s, oid), Records.object("w" + n));
                t.vote();
                t.finish();
                n++;
            }
            return n;
        });
        try {
            for (int pass = 0; pass < 5; pass++) {
                long previous = Tid.ZERO;
                try (CloseableIterator<TransactionRecord> it = s.iterator(Tid.ZERO, Tid.MAX)) {
                    while (it.hasNext()) {
                        TransactionRecord r = it.next();
                        assertThat(r.tid()).isGreaterThan(previous);
                        previous = r.tid();
                        if (s.supports(Capability.HISTORY))
                            assertThat(r.revisions()).hasSize(oids.length);
                        String text = null;
                        for (Revision rev : r.revisions()) {
                            if (text == null) text = Records.text(rev.data());
                            assertThat(Records.text(rev.data()))
                                    .as("a transaction read half-written")
                                    .isEqualTo(text);
                        }
                    }
                }
            }
        } finally {
            stop.set(true);
        }
        writer.join();
    }
}
