package org.cairndb.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.cairndb.postgres.testing.TestPostgres;
import org.cairndb.storage.Capability;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.PackResult;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageMisuseException;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;
import org.cairndb.storage.UndoException;
import org.cairndb.storage.conformance.Kit;
import org.cairndb.storage.conformance.Records;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the kit does not (yet) cover: iteration exactness, restore, undo, pack, listeners, oids. */
class PostgresStorageTest {
    private static String db;
    private static final AtomicInteger SCHEMA = new AtomicInteger();
    private final List<Storage> opened = new ArrayList<>();

    @BeforeAll
    static void database() {
        db = TestPostgres.get().newDatabase("storage");
    }

    @AfterEach
    void closeAll() {
        opened.forEach(Storage::close);
    }

    private Storage open(String history) {
        return open(history, "s" + SCHEMA.incrementAndGet());
    }

    private Storage open(String history, String schema) {
        Storage s = Storages.open(TestPostgres.get().uri(db, "history=" + history + "&schema=" + schema + "&pool=4"));
        opened.add(s);
        return s;
    }

    private static String schemaOf(Storage s) {
        return ((PostgresStorage) s).config().schema();
    }

    @Test
    void capabilities_truthfulPerLayout() {
        assertThat(open("free").capabilities())
                .containsExactlyInAnyOrder(
                        Capability.MULTI_WRITER, Capability.DURABLE, Capability.PACK, Capability.CONFLICT_RESOLUTION);
        assertThat(open("preserving").capabilities())
                .containsExactlyInAnyOrder(
                        Capability.MULTI_WRITER,
                        Capability.DURABLE,
                        Capability.PACK,
                        Capability.CONFLICT_RESOLUTION,
                        Capability.HISTORY,
                        Capability.UNDO);
    }

    /** A history with metadata, a deletion and an undo (a backpointer), copied by restore and by restoreBatch. */
    @Test
    void iterate_thenRestoreAndBulkRestore_reproduceEveryTransactionExactly() {
        Storage src = open("preserving");
        long[] a = src.newOids(2);
        StorageTransaction t = src.begin(new TransactionMetadata("ann", "create", new byte[] {1, 2, 3}));
        t.store(a[1], Tid.ZERO, Records.object("b"));
        t.store(a[0], Tid.ZERO, Records.object("a", a[1]));
        t.vote();
        long t1 = t.finish();
        long t2 = Kit.commit(src, a[0], t1, Records.object("a2", a[1]));
        long t3 = Kit.delete(src, a[1]);
        StorageTransaction u = src.begin(TransactionMetadata.of("bob", "undo delete"));
        assertThat(u.undo(t3)).containsExactly(a[1]);
        u.vote();
        long t4 = u.finish();
        Kit.commit(src, a[0], t2, Records.foreign("pickle"));

        List<TransactionRecord> txns = Kit.transactions(src);
        assertThat(txns).hasSize(5);
        assertThat(txns.get(0).metadata()).isEqualTo(new TransactionMetadata("ann", "create", new byte[] {1, 2, 3}));
        assertThat(txns.get(0).revisions()).extracting(Revision::oid).containsExactly(a[1], a[0]);
        assertThat(txns.get(2).revisions()).containsExactly(new Revision(a[1], t3, null, Tid.ZERO));
        assertThat(txns.get(3).revisions()).containsExactly(new Revision(a[1], t4, Records.object("b"), t1));
        assertThat(src.load(a[1]).data()).isEqualTo(Records.object("b"));

        Storage one = open("preserving");
        for (TransactionRecord r : txns) one.restore(r);
        assertThat(Kit.transactions(one)).isEqualTo(txns);
        Storage bulk = open("preserving");
        ((PostgresStorage) bulk).restoreBatch(txns);
        assertThat(Kit.transactions(bulk)).isEqualTo(txns);
        assertThat(bulk.loadBefore(a[0], t2).data()).isEqualTo(Records.object("a", a[1]));
        assertThat(bulk.newOids(1)[0]).isNotIn(a[0], a[1]);
    }

    @Test
    void restoreBatch_historyFree_keepsTheLastRevisionOfEachObject() {
        Storage s = open("free");
        List<TransactionRecord> batch = List.of(
                new TransactionRecord(
                        1000, false, TransactionMetadata.EMPTY, List.of(Revision.of(5, 1000, Records.object("x")))),
                new TransactionRecord(
                        2000,
                        false,
                        TransactionMetadata.EMPTY,
                        List.of(Revision.of(5, 2000, Records.object("y")), Revision.of(6, 2000, null))));
        ((PostgresStorage) s).restoreBatch(batch);
        assertThat(s.load(5).data()).isEqualTo(Records.object("y"));
        assertThat(s.lastTid()).isEqualTo(2000);
        assertThatThrownBy(() -> s.load(6)).isInstanceOf(PosKeyException.class);
        assertThat(s.newOids(1)[0]).isGreaterThan(6);
    }

    @Test
    void restore_tidNotGreaterThanLast_refusedAndNothingWritten() {
        Storage s = open("preserving");
        long[] o = Kit.commitNew(s, Records.object("x"));
        TransactionRecord old = new TransactionRecord(
                o[1], false, TransactionMetadata.EMPTY, List.of(Revision.of(o[0], o[1], Records.object("y"))));
        assertThatThrownBy(() -> s.restore(old))
                .isInstanceOf(StorageMisuseException.class)
                .hasMessageContaining("not greater than the last committed tid");
        List<TransactionRecord> unordered = List.of(
                new TransactionRecord(o[1] + 20, false, TransactionMetadata.EMPTY, List.of()),
                new TransactionRecord(o[1] + 10, false, TransactionMetadata.EMPTY, List.of()));
        assertThatThrownBy(() -> ((PostgresStorage) s).restoreBatch(unordered))
                .isInstanceOf(StorageMisuseException.class)
                .hasMessageContaining("expected: increasing tids");
        assertThat(s.lastTid()).isEqualTo(o[1]);
        assertThat(s.load(o[0]).data()).isEqualTo(Records.object("x"));
    }

    @Test
    void undo_laterChangeThatCannotMerge_refusedNamingTheTransaction() {
        Storage s = open("preserving");
        long[] o = Kit.commitNew(s, Records.object("v1"));
        long t2 = Kit.commit(s, o[0], o[1], Records.object("v2"));
        Kit.commit(s, o[0], t2, Records.object("v3"));
        StorageTransaction u = s.begin(TransactionMetadata.EMPTY);
        assertThatThrownBy(() -> u.undo(t2)).isInstanceOf(UndoException.class).hasMessageContaining("changed since");
        u.abort();
        StorageTransaction v = s.begin(TransactionMetadata.EMPTY);
        assertThatThrownBy(() -> v.undo(12345))
                .isInstanceOf(UndoException.class)
                .hasMessageContaining("no such transaction");
        v.abort();
        StorageTransaction hf = open("free").begin(TransactionMetadata.EMPTY);
        assertThatThrownBy(() -> hf.undo(1))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("history-free");
    }

    @Test
    void pack_historyPreserving_dropsOldRevisionsAndUnreachableObjects() {
        Storage s = open("preserving");
        long[] oids = s.newOids(3); // child, orphan, foreign-kept
        long root1 = Kit.commitAll(
                s,
                java.util.Map.of(
                        0L,
                        Records.object("root", oids[0], oids[1]),
                        oids[0],
                        Records.object("child"),
                        oids[1],
                        Records.object("orphan-to-be"),
                        oids[2],
                        Records.foreign("pickle")));
        long root2 = Kit.commit(s, 0L, root1, Records.object("root2", oids[0]));
        long child2 = Kit.commit(s, oids[0], root1, Records.object("child2"));
        List<String> phases = new CopyOnWriteArrayList<>();
        PackResult r = s.pack(Tid.next(child2), (phase, done, total) -> phases.add(phase));
        assertThat(r.removedRevisions()).isEqualTo(2); // root's and child's first revisions
        assertThat(r.removedObjects()).isEqualTo(1); // the orphan
        assertThat(r.keptObjects()).isEqualTo(3);
        assertThat(phases).contains("revisions", "reach", "collect");
        assertThatThrownBy(() -> s.load(oids[1])).isInstanceOf(PosKeyException.class);
        assertThat(s.load(oids[2]).data()).isEqualTo(Records.foreign("pickle"));
        assertThat(s.history(0L, 10)).extracting(h -> h.tid()).containsExactly(root2);
        assertThatThrownBy(() -> s.loadBefore(0L, root2)).isInstanceOf(PosKeyException.class);
        assertThat(Kit.transactions(s).get(0).packed()).isTrue();
    }

    @Test
    void pack_historyFree_removesUnreachableKeepsForeignRootsAndWhatTheyCannotName() {
        Storage s = open("free");
        long[] oids = s.newOids(4);
        Kit.commitAll(
                s,
                java.util.Map.of(
                        0L,
                        Records.object("root", oids[0]),
                        oids[0],
                        Records.object("a", oids[1]),
                        oids[1],
                        Records.object("b"),
                        oids[2],
                        Records.object("garbage", oids[3]),
                        oids[3],
                        Records.object("garbage2")));
        PackResult r = s.pack(s.lastTid() + 1, null);
        assertThat(r.removedObjects()).isEqualTo(2);
        assertThat(s.objectCount()).isEqualTo(3);
        assertThat(s.load(oids[1]).data()).isEqualTo(Records.object("b"));
        assertThatThrownBy(() -> s.load(oids[3])).isInstanceOf(PosKeyException.class);
    }

    @Test
    void commitListener_hearsCommitsOfAnotherStorageObjectInTidOrder() throws Exception {
        Storage a = open("free");
        Storage b = open("free", schemaOf(a));
        List<Long> heard = new CopyOnWriteArrayList<>();
        CountDownLatch three = new CountDownLatch(3);
        try (AutoCloseable handle = a.addCommitListener((tid, oids) -> {
            heard.add(tid);
            three.countDown();
        })) {
            long t1 = Kit.commitNew(b, Records.object("1"))[1];
            long t2 = Kit.commitNew(b, Records.object("2"))[1];
            long t3 = Kit.commitNew(a, Records.object("3"))[1];
            three.await();
            assertThat(heard).containsExactly(t1, t2, t3);
        }
    }

    @Test
    void newOids_twoStorageObjectsAtOnce_neverRepeat() throws Exception {
        Storage a = open("free");
        Storage b = open("free", schemaOf(a));
        Set<Long> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<Thread> ts = new ArrayList<>();
        AtomicInteger dupes = new AtomicInteger();
        for (Storage s : List.of(a, b, a, b)) {
            Thread t = new Thread(() -> {
                for (int i = 0; i < 50; i++)
                    for (long o : s.newOids(i % 7 == 0 ? 150 : 3)) if (!seen.add(o) || o == 0) dupes.incrementAndGet();
            });
            t.start();
            ts.add(t);
        }
        for (Thread t : ts) t.join();
        assertThat(dupes.get()).isZero();
        assertThat(seen).hasSizeGreaterThan(1000);
    }

    @Test
    void view_historyFree_keepsItsSnapshotWhileOthersOverwrite() {
        Storage s = open("free");
        long[] o = Kit.commitNew(s, Records.object("old"));
        try (var view = s.openView()) {
            Kit.commit(s, o[0], o[1], Records.object("new"));
            assertThat(view.load(o[0]).data()).isEqualTo(Records.object("old"));
            var inv = view.sync();
            assertThat(inv.oids()).containsExactly(o[0]);
            assertThat(view.load(o[0]).data()).isEqualTo(Records.object("new"));
        }
        assertThat(new HashSet<>(List.of(1))).hasSize(1);
    }

    @Test
    void iterator_closeEarly_andEmptyRange() {
        Storage s = open("free");
        Kit.commitNew(s, Records.object("x"));
        try (CloseableIterator<TransactionRecord> it = s.iterator(Tid.MAX - 1, Tid.MAX)) {
            assertThat(it.hasNext()).isFalse();
        }
    }
}
