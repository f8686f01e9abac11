package org.cairndb.temp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cairndb.storage.Capability;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.Invalidations;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.PackProgress;
import org.cairndb.storage.PackResult;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.ReadConflictException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageClosedException;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;
import org.cairndb.storage.conflict.ResolverRegistry;
import org.cairndb.storage.conformance.Kit;
import org.cairndb.storage.conformance.Records;
import org.cairndb.storage.conformance.TestCounterResolver;
import org.cairndb.storage.uri.InvalidStorageUriException;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TemporaryStorageTest {
    private final TemporaryStorage s = new TemporaryStorage("t", new ResolverRegistry().add(new TestCounterResolver()));

    @AfterEach
    void close() {
        s.close();
    }

    @Test
    void load_afterCommit_returnsRevisionAndPosKeyForUnknown() {
        long oid = s.newOids(1)[0];
        long tid = Kit.commit(s, oid, Tid.ZERO, Records.object("a"));
        Loaded l = s.load(oid);
        assertThat(l.tid()).isEqualTo(tid);
        assertThat(Records.text(l.data())).isEqualTo("a");
        assertThat(s.lastTid()).isEqualTo(tid);
        assertThatThrownBy(() -> s.load(oid + 100)).isInstanceOf(PosKeyException.class);
        assertThat(s.capabilities()).containsExactlyInAnyOrder(Capability.CONFLICT_RESOLUTION, Capability.PACK);
    }

    @Test
    void revisionCount_millionCommitsToSameObjects_staysBounded() {
        long[] oids = s.newOids(10);
        long[] tids = new long[oids.length];
        int commits = 1_000_000;
        long maxRevisions = 0;
        for (int i = 0; i < commits; i++) {
            int k = i % oids.length;
            tids[k] = Kit.commit(s, oids[k], tids[k], Records.object("v" + i));
            if (i % 1000 == 0) maxRevisions = Math.max(maxRevisions, s.revisionCount());
        }
        assertThat(maxRevisions).isLessThanOrEqualTo(oids.length);
        assertThat(s.revisionCount()).isEqualTo(oids.length);
        assertThat(s.loggedTransactions()).isEqualTo(oids.length);
        assertThat(Records.text(s.load(oids[3]).data())).isEqualTo("v" + (commits - 10 + 3));
    }

    @Test
    void view_keepsItsRevisionsWhileOpen_andDropsThemOnClose() {
        long oid = s.newOids(1)[0];
        long t1 = Kit.commit(s, oid, Tid.ZERO, Records.object("one"));
        StorageView v = s.openView();
        long last = t1;
        for (int i = 0; i < 1000; i++) last = Kit.commit(s, oid, last, Records.object("n" + i));
        assertThat(Records.text(v.load(oid).data())).isEqualTo("one");
        assertThat(s.revisionCount()).isEqualTo(2); // the view's revision and the current one
        long beforeLast = last;
        assertThatThrownBy(() -> s.loadBefore(oid, beforeLast))
                .isInstanceOf(ReadConflictException.class); // not needed by the view
        v.close();
        assertThat(s.revisionCount()).isEqualTo(1);
        long before = last;
        assertThatThrownBy(() -> s.loadBefore(oid, before))
                .isInstanceOf(ReadConflictException.class)
                .hasMessageContaining("no longer keeps");
        assertThatThrownBy(() -> v.load(oid)).isInstanceOf(StorageClosedException.class);
    }

    @Test
    void loadBefore_gapBetweenKeptRevisions_isReadConflictNotOlderData() {
        long oid = s.newOids(1)[0];
        long t1 = Kit.commit(s, oid, Tid.ZERO, Records.object("1"));
        StorageView v1 = s.openView();
        long t2 = Kit.commit(s, oid, t1, Records.object("2"));
        long t3 = Kit.commit(s, oid, t2, Records.object("3"));
        StorageView v3 = s.openView();
        long t4 = Kit.commit(s, oid, t3, Records.object("4"));
        // kept: 4 (current), 3 (v3), 1 (v1); 2 was dropped
        assertThat(s.revisionCount()).isEqualTo(3);
        assertThat(Records.text(v1.load(oid).data())).isEqualTo("1");
        assertThat(Records.text(v3.load(oid).data())).isEqualTo("3");
        assertThat(Records.text(s.loadBefore(oid, t2).data())).isEqualTo("1");
        assertThatThrownBy(() -> s.loadBefore(oid, t3)).isInstanceOf(ReadConflictException.class);
        assertThat(s.loadBefore(oid, t4).nextTid()).isEqualTo(t4);
        v1.close();
        v3.close();
    }

    @Test
    void view_sync_reportsChangedOidsAndMovesForward() {
        long[] oids = s.newOids(3);
        for (long o : oids) Kit.commit(s, o, Tid.ZERO, Records.object("x"));
        try (StorageView v = s.openView()) {
            long start = v.tid();
            Kit.commit(s, oids[1], s.load(oids[1]).tid(), Records.object("y"));
            assertThat(Records.text(v.load(oids[1]).data())).isEqualTo("x");
            Invalidations inv = v.sync();
            assertThat(inv.fromTid()).isEqualTo(start);
            assertThat(inv.oids()).containsExactly(oids[1]);
            assertThat(inv.all()).isFalse();
            assertThat(Records.text(v.load(oids[1]).data())).isEqualTo("y");
            assertThat(v.sync().isEmpty()).isTrue();
        }
    }

    @Test
    void vote_staleWriteOfPlainObject_isConflictAndLeavesNoTrace() {
        long oid = s.newOids(1)[0];
        long t1 = Kit.commit(s, oid, Tid.ZERO, Records.object("a"));
        long t2 = Kit.commit(s, oid, t1, Records.object("b"));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.store(oid, t1, Records.object("c"));
        assertThatThrownBy(t::vote)
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining(Records.OBJECT_CLASS)
                .hasMessageContaining(Tid.hex(t2));
        assertThat(t.state()).isEqualTo(StorageTransaction.State.ABORTED);
        assertThat(s.lastTid()).isEqualTo(t2);
        assertThat(s.commitLock().isHeld()).isFalse();
    }

    @Test
    void vote_staleWriteOfCounter_isResolvedWithAncestor() {
        long oid = s.newOids(1)[0];
        long t1 = Kit.commit(s, oid, Tid.ZERO, Records.counter(10));
        StorageView reader = s.openView(); // keeps the ancestor while the transaction runs
        StorageTransaction a = s.begin(TransactionMetadata.EMPTY);
        a.store(oid, t1, Records.counter(13)); // +3
        Kit.commit(s, oid, t1, Records.counter(15)); // +5 by someone else
        Map<Long, byte[]> resolved = a.vote();
        a.finish();
        reader.close();
        assertThat(Records.counterValue(resolved.get(oid))).isEqualTo(18);
        assertThat(Records.counterValue(s.load(oid).data())).isEqualTo(18);
    }

    @Test
    void checkCurrent_changedObject_isReadConflict() {
        long oid = s.newOids(1)[0];
        long t1 = Kit.commit(s, oid, Tid.ZERO, Records.object("a"));
        Kit.commit(s, oid, t1, Records.object("b"));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.checkCurrent(oid, t1);
        assertThatThrownBy(t::vote).isInstanceOf(ReadConflictException.class);
    }

    @Test
    void pack_removesUnreachableAndKeepsForeignRoots() {
        long[] o = s.newOids(4);
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.store(0, Tid.ZERO, Records.object("root", o[0]));
        t.store(o[0], Tid.ZERO, Records.object("child", o[1]));
        t.store(o[1], Tid.ZERO, Records.object("grandchild"));
        t.store(o[2], Tid.ZERO, Records.object("orphan"));
        t.store(o[3], Tid.ZERO, new byte[] {(byte) 0x80, 3, 'x', '.'});
        t.vote();
        t.finish();
        PackResult r = s.pack(s.lastTid(), PackProgress.NONE);
        assertThat(r.removedObjects()).isEqualTo(1);
        assertThat(r.keptObjects()).isEqualTo(4);
        assertThatThrownBy(() -> s.load(o[2])).isInstanceOf(PosKeyException.class);
        assertThat(s.load(o[1]).data()).isNotNull();
        assertThat(s.load(o[3]).data()).isNotNull();
    }

    @Test
    void iterator_returnsCurrentStateGroupedByTransaction() {
        long[] o = s.newOids(2);
        StorageTransaction t = s.begin(TransactionMetadata.of("ann", "both"));
        t.store(o[0], Tid.ZERO, Records.object("a0"));
        t.store(o[1], Tid.ZERO, Records.object("b0"));
        t.vote();
        long t1 = t.finish();
        long t2 = Kit.commit(s, o[1], t1, Records.object("b1"));
        List<TransactionRecord> all = new ArrayList<>();
        try (CloseableIterator<TransactionRecord> it = s.iterator(Tid.ZERO, Tid.MAX)) {
            it.forEachRemaining(all::add);
        }
        assertThat(all).hasSize(2);
        assertThat(all.get(0).tid()).isEqualTo(t1);
        assertThat(all.get(0).packed()).isTrue();
        assertThat(all.get(0).metadata().user()).isEqualTo("ann");
        assertThat(all.get(0).revisions()).hasSize(1);
        assertThat(all.get(1).tid()).isEqualTo(t2);
        assertThat(all.get(1).packed()).isFalse();

        TemporaryStorage copy = new TemporaryStorage("copy");
        all.forEach(copy::restore);
        assertThat(copy.load(o[1]).data()).isEqualTo(s.load(o[1]).data());
        assertThat(copy.load(o[0]).tid()).isEqualTo(t1);
        assertThat(copy.lastTid()).isEqualTo(t2);
        copy.close();
    }

    @Test
    void delete_thenLoad_isPosKeyAndHistoryShowsDeletion() {
        long oid = s.newOids(1)[0];
        long t1 = Kit.commit(s, oid, Tid.ZERO, Records.object("a"));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.delete(oid, t1);
        t.vote();
        long t2 = t.finish();
        assertThatThrownBy(() -> s.load(oid))
                .isInstanceOf(PosKeyException.class)
                .hasMessageContaining("deleted");
        assertThat(s.history(oid, 5).get(0).tid()).isEqualTo(t2);
        assertThat(s.history(oid, 5).get(0).size()).isEqualTo(-1);
        assertThat(s.objectCount()).isZero();
        Kit.commit(s, oid, Tid.ZERO, Records.object("again"));
        assertThat(s.objectCount()).isEqualTo(1);
    }

    @Test
    void undo_isUnsupportedNamingTheStorage() {
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        assertThatThrownBy(() -> t.undo(1))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("'t'");
    }

    @Test
    void uri_tempOpens_andUnknownParameterIsRefused() {
        try (Storage st = Storages.open("temp:")) {
            assertThat(st).isInstanceOf(TemporaryStorage.class);
        }
        assertThatThrownBy(() -> Storages.open("temp:?size=3"))
                .isInstanceOf(InvalidStorageUriException.class)
                .hasMessageContaining("size");
    }

    @Test
    void close_wakesNothingAndRefusesUse() {
        s.close();
        assertThatThrownBy(() -> s.load(0)).isInstanceOf(StorageClosedException.class);
        assertThatThrownBy(() -> s.begin(TransactionMetadata.EMPTY)).isInstanceOf(StorageClosedException.class);
    }
}
