package org.cairndb.storage.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cairndb.storage.Capability;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.Oid;
import org.cairndb.storage.PackProgress;
import org.cairndb.storage.PackResult;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.ReadConflictException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * pack(beforeTid): drops revisions older than the one current at beforeTid (history storages)
 * and every object unreachable from the root through {@link org.cairndb.storage.RecordHeader}
 * references as of beforeTid; objects written after beforeTid are kept; foreign records are
 * roots. (ZODB's PackableStorage: checkPackEmptyStorage, checkPackTomorrow/Yesterday,
 * checkPackAllRevisions, checkPackJustOldRevisions, checkPackOnlyOneObject,
 * checkPackWhileWriting, checkRedundantPack, GC of unreachable objects.)
 */
public interface PackContract extends StorageContract {

    private static void requirePack(Storage s) {
        Assumptions.assumeTrue(s.supports(Capability.PACK), "storage " + s.name() + " does not pack (no PACK)");
    }

    private static long packNow(Storage s) {
        long before = Tid.next(s.lastTid());
        s.pack(before, PackProgress.NONE);
        return before;
    }

    @Test
    default void pack_withoutCapability_unsupportedNamingStorage(Storage s) {
        Assumptions.assumeFalse(s.supports(Capability.PACK), "storage " + s.name() + " packs");
        assertThatThrownBy(() -> s.pack(Tid.MAX, PackProgress.NONE))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining(s.name());
    }

    @Test
    default void pack_emptyStorage_isHarmless(Storage s) {
        requirePack(s);
        PackResult r = s.pack(Tid.of(Instant.now()), PackProgress.NONE);
        assertThat(r.removedObjects()).isZero();
        assertThat(s.objectCount()).isZero();
    }

    @Test
    default void pack_keepsReachable_removesUnreachable(Storage s) {
        requirePack(s);
        long[] o = s.newOids(4); // o0 <- root, o1 <- o0, o2 and o3 unreachable
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.store(Oid.ROOT, Tid.ZERO, Records.object("root", o[0]));
        t.store(o[0], Tid.ZERO, Records.object("child", o[1]));
        t.store(o[1], Tid.ZERO, Records.object("grandchild"));
        t.store(o[2], Tid.ZERO, Records.object("garbage", o[3]));
        t.store(o[3], Tid.ZERO, Records.object("garbage too"));
        t.vote();
        t.finish();
        PackResult r = s.pack(Tid.next(s.lastTid()), PackProgress.NONE);
        assertThat(Records.text(s.load(Oid.ROOT).data())).isEqualTo("root");
        assertThat(Records.text(s.load(o[0]).data())).isEqualTo("child");
        assertThat(Records.text(s.load(o[1]).data())).isEqualTo("grandchild");
        assertThatThrownBy(() -> s.load(o[2])).isInstanceOf(PosKeyException.class);
        assertThatThrownBy(() -> s.load(o[3])).isInstanceOf(PosKeyException.class);
        assertThat(r.removedObjects()).isEqualTo(2);
        assertThat(s.objectCount()).isEqualTo(3);
    }

    @Test
    default void pack_referenceDropped_objectCollected(Storage s) {
        requirePack(s);
        long[] a = Kit.commitNew(s, Records.object("a"));
        long tr = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("root", a[0]));
        Kit.commit(s, Oid.ROOT, tr, Records.object("root without a"));
        packNow(s);
        assertThatThrownBy(() -> s.load(a[0])).isInstanceOf(PosKeyException.class);
        assertThat(Records.text(s.load(Oid.ROOT).data())).isEqualTo("root without a");
    }

    @Test
    default void pack_unreachableCycle_collected(Storage s) {
        requirePack(s);
        long[] o = s.newOids(2);
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.store(Oid.ROOT, Tid.ZERO, Records.object("root"));
        t.store(o[0], Tid.ZERO, Records.object("a", o[1]));
        t.store(o[1], Tid.ZERO, Records.object("b", o[0]));
        t.vote();
        t.finish();
        packNow(s);
        assertThatThrownBy(() -> s.load(o[0])).isInstanceOf(PosKeyException.class);
        assertThatThrownBy(() -> s.load(o[1])).isInstanceOf(PosKeyException.class);
        assertThat(s.objectCount()).isEqualTo(1);
    }

    @Test
    default void pack_foreignRecords_areRoots(Storage s) {
        requirePack(s);
        long[] o = s.newOids(2);
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.store(Oid.ROOT, Tid.ZERO, Records.object("root"));
        t.store(o[0], Tid.ZERO, Records.foreign("a ZODB pickle whose references Cairn cannot read"));
        t.store(o[1], Tid.ZERO, Records.object("cairn garbage"));
        t.vote();
        t.finish();
        packNow(s);
        assertThat(s.load(o[0]).data()).isEqualTo(Records.foreign("a ZODB pickle whose references Cairn cannot read"));
        assertThatThrownBy(() -> s.load(o[1])).isInstanceOf(PosKeyException.class);
    }

    @Test
    default void pack_danglingReference_isHarmless(Storage s) {
        requirePack(s);
        Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("root", 0x7777L, Oid.ROOT));
        packNow(s);
        assertThat(Records.text(s.load(Oid.ROOT).data())).isEqualTo("root");
    }

    @Test
    default void pack_objectsWrittenAfterPackTid_kept(Storage s) {
        requirePack(s);
        Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("root"));
        long before = s.lastTid();
        long[] late = Kit.commitNew(s, Records.object("written after the pack time, not yet linked"));
        s.pack(before, PackProgress.NONE);
        assertThat(Records.text(s.load(late[0]).data())).startsWith("written after");
    }

    @Test
    default void pack_yesterday_removesNothingCommittedSince(Storage s) {
        requirePack(s);
        long yesterday = Tid.of(Instant.now().minusSeconds(86_400));
        long[] a = Kit.commitNew(s, Records.object("unlinked"));
        Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("root"));
        s.pack(yesterday, PackProgress.NONE);
        assertThat(Records.text(s.load(a[0]).data())).isEqualTo("unlinked");
        assertThat(s.objectCount()).isEqualTo(2);
    }

    @Test
    default void pack_tomorrow_collectsEverythingUnreachable(Storage s) {
        requirePack(s);
        long[] a = Kit.commitNew(s, Records.object("unlinked"));
        Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("root"));
        s.pack(Tid.of(Instant.now().plusSeconds(86_400)), PackProgress.NONE);
        assertThatThrownBy(() -> s.load(a[0])).isInstanceOf(PosKeyException.class);
        assertThat(Records.text(s.load(Oid.ROOT).data())).isEqualTo("root");
        // commits after a pack into the future still get increasing tids and survive
        assertThat(Kit.update(s, Oid.ROOT, Records.object("root 2"))).isGreaterThan(a[1]);
    }

    @Test
    default void pack_oldRevisionsGone_revisionCurrentAtPackTimeKept(Storage s) {
        requirePack(s);
        Assumptions.assumeTrue(s.supports(Capability.HISTORY), "storage " + s.name() + " keeps no history to pack");
        long t1 = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("1"));
        long t2 = Kit.commit(s, Oid.ROOT, t1, Records.object("2"));
        long t3 = Kit.commit(s, Oid.ROOT, t2, Records.object("3"));
        long t4 = Kit.commit(s, Oid.ROOT, t3, Records.object("4"));
        s.pack(t3 + 1, PackProgress.NONE); // "3" is current at the pack time: kept, with all after it
        assertThat(Records.text(s.loadSerial(Oid.ROOT, t3).data())).isEqualTo("3");
        assertThat(Records.text(s.loadBefore(Oid.ROOT, t4).data())).isEqualTo("3");
        assertThatThrownBy(() -> s.loadSerial(Oid.ROOT, t1)).isInstanceOf(PosKeyException.class);
        assertThatThrownBy(() -> s.loadBefore(Oid.ROOT, t3))
                .isInstanceOfAny(PosKeyException.class, ReadConflictException.class);
        assertThat(s.history(Oid.ROOT, 10)).extracting(h -> h.tid()).containsExactly(t4, t3);
        assertThat(Records.text(s.load(Oid.ROOT).data())).isEqualTo("4");
    }

    @Test
    default void pack_twice_isHarmless(Storage s) {
        requirePack(s);
        long[] a = Kit.commitNew(s, Records.object("a"));
        Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("root", a[0]));
        long before = packNow(s);
        s.pack(before, PackProgress.NONE);
        packNow(s);
        assertThat(Records.text(s.load(a[0]).data())).isEqualTo("a");
        assertThat(s.objectCount()).isEqualTo(2);
    }

    @Test
    default void pack_deletedObjects_gone(Storage s) {
        requirePack(s);
        long[] a = Kit.commitNew(s, Records.object("a"));
        long tr = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("root", a[0]));
        Kit.delete(s, a[0]); // root still names it: a dangling reference after delete
        packNow(s);
        assertThatThrownBy(() -> s.load(a[0])).isInstanceOf(PosKeyException.class);
        assertThat(s.load(Oid.ROOT).tid()).isEqualTo(tr);
        assertThat(s.objectCount()).isEqualTo(1);
    }

    @Test
    default void pack_openViewBeforePack_neverReadsWrongData(Storage s) {
        requirePack(s);
        long[] a = Kit.commitNew(s, Records.object("a1"));
        long tr = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("root", a[0]));
        try (StorageView v = s.openView()) {
            Kit.update(s, a[0], Records.object("a2"));
            Kit.commit(s, Oid.ROOT, tr, Records.object("root, a unlinked"));
            packNow(s);
            try {
                Loaded l = v.load(a[0]);
                assertThat(Records.text(l.data())).isEqualTo("a1");
            } catch (ReadConflictException | PosKeyException e) {
                // the view's revision was packed away: refusing is allowed, wrong data is not
            }
        }
    }

    @Test
    default void pack_whileWriting_reachableObjectsIntact(Storage s) {
        requirePack(s);
        long[] kids = s.newOids(5);
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.store(Oid.ROOT, Tid.ZERO, Records.object("root", kids));
        for (long k : kids) t.store(k, Tid.ZERO, Records.object("0"));
        t.vote();
        t.finish();
        AtomicBoolean stop = new AtomicBoolean();
        java.util.Map<Long, String> lastWritten = new java.util.concurrent.ConcurrentHashMap<>();
        Threads.Task<Integer> writer = Threads.start("writer", () -> {
            int n = 0;
            while (!stop.get() && n < 3000) {
                n++;
                long k = kids[n % kids.length];
                Kit.update(s, k, Records.object(Integer.toString(n)));
                lastWritten.put(k, Integer.toString(n));
                Kit.commitNew(s, Records.object("garbage " + n)); // something for each pack to collect
            }
            return n;
        });
        List<PackResult> results = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) results.add(s.pack(Tid.next(s.lastTid()), PackProgress.NONE));
        } finally {
            stop.set(true);
        }
        writer.join();
        packNow(s);
        for (long k : kids) {
            assertThat(Records.text(s.load(k).data())).isEqualTo(lastWritten.getOrDefault(k, "0"));
        }
        assertThat(s.objectCount()).isEqualTo(1 + kids.length);
        assertThat(results).hasSize(5);
    }
}
