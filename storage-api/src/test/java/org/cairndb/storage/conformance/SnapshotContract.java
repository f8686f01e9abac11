package org.cairndb.storage.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.cairndb.storage.Capability;
import org.cairndb.storage.Invalidations;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.Oid;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.ReadConflictException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageClosedException;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.junit.jupiter.api.Test;

/**
 * Snapshots (MVCC): a view reads exactly the state as of its tid whatever commits meanwhile,
 * and sync moves it forward reporting what changed; loadBefore and loadSerial return old
 * revisions (any time for {@link Capability#HISTORY} storages; storages that drop history
 * answer a read they can no longer serve with {@link ReadConflictException}, never with wrong
 * data). (ZODB's RevisionStorage, Synchronization, MVCC tests.)
 */
public interface SnapshotContract extends StorageContract {

    /**
     * Runs an old-revision read: HISTORY storages must answer it; others may answer or refuse
     * with ReadConflictException (they dropped the revision), never anything else.
     */
    private static Loaded oldRead(Storage s, Supplier<Loaded> read) {
        if (s.supports(Capability.HISTORY)) return read.get();
        try {
            return read.get();
        } catch (ReadConflictException | PosKeyException e) {
            return null;
        }
    }

    @Test
    default void view_seesStateAsOfOpen_ignoresLaterCommits(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("a1"));
        try (StorageView v = s.openView()) {
            assertThat(v.tid()).isEqualTo(a[1]);
            long[] b = Kit.commitNew(s, Records.object("b1"));
            Kit.update(s, a[0], Records.object("a2"));
            Kit.delete(s, a[0]);
            Loaded l = v.load(a[0]);
            assertThat(Records.text(l.data())).isEqualTo("a1");
            assertThat(l.tid()).isEqualTo(a[1]);
            assertThatThrownBy(() -> v.load(b[0])).isInstanceOf(PosKeyException.class);
            assertThat(v.tid()).isEqualTo(a[1]);
        }
    }

    /** A prefetch (a no-op hint on most storages, fetched ahead over a network) never changes what the view's loads return. */
    @Test
    default void prefetch_thenLoads_seeExactlyTheViewsSnapshot(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("a1"));
        long[] b = Kit.commitNew(s, Records.object("b1"));
        long missing = s.newOids(1)[0];
        try (StorageView v = s.openView()) {
            Kit.update(s, a[0], Records.object("a2"));
            long[] c = Kit.commitNew(s, Records.object("c1"));
            v.prefetch(new long[] {a[0], b[0], c[0], missing, a[0]});
            Loaded la = v.load(a[0]);
            assertThat(Records.text(la.data())).isEqualTo("a1");
            assertThat(la.tid()).isEqualTo(a[1]);
            assertThat(Records.text(v.load(a[0]).data()))
                    .as("a second load of a prefetched oid")
                    .isEqualTo("a1");
            assertThat(Records.text(v.load(b[0]).data())).isEqualTo("b1");
            assertThatThrownBy(() -> v.load(c[0])).isInstanceOf(PosKeyException.class);
            assertThatThrownBy(() -> v.load(missing)).isInstanceOf(PosKeyException.class);
            v.prefetch(new long[] {a[0], c[0]});
            v.sync();
            assertThat(Records.text(v.load(a[0]).data())).as("after sync").isEqualTo("a2");
            assertThat(Records.text(v.load(c[0]).data())).isEqualTo("c1");
        }
    }

    @Test
    default void view_onEmptyStorage_hasTidZeroAndLoadsNothing(Storage s) {
        try (StorageView v = s.openView()) {
            assertThat(v.tid()).isEqualTo(Tid.ZERO);
            assertThatThrownBy(() -> v.load(Oid.ROOT)).isInstanceOf(PosKeyException.class);
            Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("root"));
            assertThatThrownBy(() -> v.load(Oid.ROOT)).isInstanceOf(PosKeyException.class);
            Invalidations inv = v.sync();
            assertThat(inv.oids()).containsExactly(Oid.ROOT);
            assertThat(Records.text(v.load(Oid.ROOT).data())).isEqualTo("root");
        }
    }

    @Test
    default void sync_reportsExactlyTheOidsCommittedSince(Storage s) {
        long[] oids = s.newOids(4);
        for (long oid : oids) Kit.commit(s, oid, Tid.ZERO, Records.object("v1"));
        try (StorageView v = s.openView()) {
            long from = v.tid();
            Kit.update(s, oids[1], Records.object("v2"));
            Kit.update(s, oids[3], Records.object("v2"));
            Kit.update(s, oids[1], Records.object("v3"));
            long to = s.lastTid();
            Invalidations inv = v.sync();
            assertThat(inv.fromTid()).isEqualTo(from);
            assertThat(inv.toTid()).isEqualTo(to);
            assertThat(v.tid()).isEqualTo(to);
            if (!inv.all()) assertThat(inv.oids()).containsExactlyInAnyOrder(oids[1], oids[3]);
            assertThat(Records.text(v.load(oids[1]).data())).isEqualTo("v3");
            assertThat(Records.text(v.load(oids[0]).data())).isEqualTo("v1");
        }
    }

    @Test
    default void sync_withoutCommits_isEmpty(Storage s) {
        Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("root"));
        try (StorageView v = s.openView()) {
            Invalidations inv = v.sync();
            assertThat(inv.isEmpty()).isTrue();
            assertThat(inv.toTid()).isEqualTo(v.tid());
            Kit.update(s, Oid.ROOT, Records.object("root 2"));
            assertThat(v.sync().oids()).containsExactly(Oid.ROOT);
            assertThat(v.sync().isEmpty())
                    .as("a second sync reports nothing new")
                    .isTrue();
        }
    }

    @Test
    default void sync_reportsDeletionsAndAbortsNothing(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("a"));
        try (StorageView v = s.openView()) {
            var t = s.begin(org.cairndb.storage.TransactionMetadata.EMPTY);
            t.store(Oid.ROOT, Tid.ZERO, Records.object("aborted"));
            t.vote();
            t.abort();
            assertThat(v.sync().isEmpty())
                    .as("an aborted transaction invalidates nothing")
                    .isTrue();
            Kit.delete(s, a[0]);
            Invalidations inv = v.sync();
            assertThat(inv.all() || contains(inv.oids(), a[0])).isTrue();
            assertThatThrownBy(() -> v.load(a[0])).isInstanceOf(PosKeyException.class);
        }
    }

    private static boolean contains(long[] oids, long oid) {
        for (long o : oids) if (o == oid) return true;
        return false;
    }

    @Test
    default void manyViews_eachReadsItsOwnTime(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("0"));
        List<StorageView> views = new ArrayList<>();
        views.add(s.openView());
        for (int i = 1; i <= 10; i++) {
            Kit.update(s, a[0], Records.object(Integer.toString(i)));
            views.add(s.openView());
        }
        for (int i = 0; i <= 10; i++) {
            assertThat(Records.text(views.get(i).load(a[0]).data())).isEqualTo(Integer.toString(i));
        }
        // closing views in any order leaves the others intact
        for (int i = 0; i <= 10; i += 2) views.get(i).close();
        for (int i = 1; i <= 10; i += 2) {
            assertThat(Records.text(views.get(i).load(a[0]).data())).isEqualTo(Integer.toString(i));
            views.get(i).close();
        }
    }

    @Test
    default void view_afterClose_refusesLoads(Storage s) {
        Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("root"));
        StorageView v = s.openView();
        v.close();
        assertThatThrownBy(() -> v.load(Oid.ROOT)).isInstanceOf(StorageClosedException.class);
        v.close(); // twice is harmless
    }

    @Test
    default void loadBefore_afterCurrent_returnsCurrentWithNoNext(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("v1"));
        long t2 = Kit.update(s, a[0], Records.object("v2"));
        Loaded l = s.loadBefore(a[0], t2 + 1);
        assertThat(l.tid()).isEqualTo(t2);
        assertThat(Records.text(l.data())).isEqualTo("v2");
        assertThat(l.nextTid()).isEqualTo(Tid.ZERO);
        assertThat(s.loadBefore(a[0], Tid.MAX).tid()).isEqualTo(t2);
    }

    @Test
    default void loadBefore_previousRevision_withNextTid(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("v1"));
        long t2 = Kit.update(s, a[0], Records.object("v2"));
        Loaded l = oldRead(s, () -> s.loadBefore(a[0], t2));
        if (l != null) {
            assertThat(l.tid()).isEqualTo(a[1]);
            assertThat(Records.text(l.data())).isEqualTo("v1");
            assertThat(l.nextTid()).isEqualTo(t2);
        }
    }

    @Test
    default void loadBefore_previousRevision_keptWhileAViewNeedsIt(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("v1"));
        try (StorageView v = s.openView()) {
            long t2 = Kit.update(s, a[0], Records.object("v2"));
            Kit.update(s, a[0], Records.object("v3"));
            // Every storage keeps what open views need; v needs v1.
            assertThat(Records.text(v.load(a[0]).data())).isEqualTo("v1");
            Loaded l = s.loadBefore(a[0], t2);
            assertThat(l.tid()).isEqualTo(a[1]);
            assertThat(l.nextTid()).isEqualTo(t2);
        }
    }

    @Test
    default void loadBefore_creationTid_isPosKey(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("v1"));
        assertThatThrownBy(() -> s.loadBefore(a[0], a[1]))
                .isInstanceOfAny(PosKeyException.class, ReadConflictException.class);
        assertThatThrownBy(() -> s.loadBefore(a[0], Tid.ZERO + 1))
                .isInstanceOfAny(PosKeyException.class, ReadConflictException.class);
        assertThatThrownBy(() -> s.loadBefore(s.newOids(1)[0], Tid.MAX)).isInstanceOf(PosKeyException.class);
    }

    @Test
    default void loadBefore_everyRevision_withHistory(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("0"));
        List<Long> tids = new ArrayList<>(List.of(a[1]));
        for (int i = 1; i < 12; i++) tids.add(Kit.update(s, a[0], Records.object(Integer.toString(i))));
        for (int i = 1; i < tids.size(); i++) {
            int idx = i;
            Loaded l = oldRead(s, () -> s.loadBefore(a[0], tids.get(idx)));
            if (l == null) continue;
            assertThat(l.tid()).isEqualTo(tids.get(i - 1));
            assertThat(Records.text(l.data())).isEqualTo(Integer.toString(i - 1));
            assertThat(l.nextTid()).isEqualTo(tids.get(i));
            Loaded between = s.supports(Capability.HISTORY) ? s.loadBefore(a[0], tids.get(i) - 1) : null;
            if (between != null && tids.get(i) - 1 > tids.get(i - 1))
                assertThat(between.tid()).isEqualTo(tids.get(i - 1));
        }
    }

    @Test
    default void loadBefore_consecutiveTids(Storage s) {
        long base = Tid.next(Tid.of(java.time.Instant.now()));
        for (int i = 0; i < 3; i++) {
            s.restore(new org.cairndb.storage.TransactionRecord(
                    base + i,
                    false,
                    org.cairndb.storage.TransactionMetadata.EMPTY,
                    List.of(org.cairndb.storage.Revision.of(Oid.ROOT, base + i, Records.object("r" + i)))));
        }
        assertThat(s.load(Oid.ROOT).tid()).isEqualTo(base + 2);
        Loaded l = oldRead(s, () -> s.loadBefore(Oid.ROOT, base + 2));
        if (l != null) {
            assertThat(l.tid()).isEqualTo(base + 1);
            assertThat(l.nextTid()).isEqualTo(base + 2);
            assertThat(Records.text(s.loadBefore(Oid.ROOT, base + 1).data())).isEqualTo("r0");
        }
    }

    @Test
    default void loadBefore_afterDeletion_isPosKey_beforeItTheData(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("alive"));
        long td = Kit.delete(s, a[0]);
        assertThatThrownBy(() -> s.loadBefore(a[0], td + 1)).isInstanceOf(PosKeyException.class);
        Loaded l = oldRead(s, () -> s.loadBefore(a[0], td));
        if (l != null) {
            assertThat(Records.text(l.data())).isEqualTo("alive");
            assertThat(l.nextTid()).isEqualTo(td);
        }
    }

    @Test
    default void loadSerial_currentAndOld(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("v1"));
        long t2 = Kit.update(s, a[0], Records.object("v2"));
        assertThat(Records.text(s.loadSerial(a[0], t2).data())).isEqualTo("v2");
        Loaded l = oldRead(s, () -> s.loadSerial(a[0], a[1]));
        if (l != null) assertThat(Records.text(l.data())).isEqualTo("v1");
        assertThatThrownBy(() -> s.loadSerial(a[0], t2 + 1)).isInstanceOf(PosKeyException.class);
        assertThatThrownBy(() -> s.loadSerial(s.newOids(1)[0], t2)).isInstanceOf(PosKeyException.class);
    }

    @Test
    default void commitListener_toldOfEveryCommitInOrder_notOfAborts(Storage s) throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        AutoCloseable handle = s.addCommitListener((tid, oids) -> {
            java.util.Arrays.sort(oids);
            seen.add(Tid.hex(tid) + java.util.Arrays.toString(oids));
        });
        long[] oids = s.newOids(2);
        var t = s.begin(org.cairndb.storage.TransactionMetadata.EMPTY);
        t.store(oids[0], Tid.ZERO, Records.object("a"));
        t.store(oids[1], Tid.ZERO, Records.object("b"));
        t.vote();
        long t1 = t.finish();
        assertThat(seen)
                .as("told before finish returns")
                .containsExactly(Tid.hex(t1) + java.util.Arrays.toString(oids));
        var aborted = s.begin(org.cairndb.storage.TransactionMetadata.EMPTY);
        aborted.store(oids[0], t1, Records.object("no"));
        aborted.vote();
        aborted.abort();
        long t2 = Kit.update(s, oids[1], Records.object("b2"));
        assertThat(seen).hasSize(2).last().isEqualTo(Tid.hex(t2) + "[" + oids[1] + "]");
        handle.close();
        Kit.update(s, oids[1], Records.object("b3"));
        assertThat(seen).as("unregistered").hasSize(2);
    }
}
