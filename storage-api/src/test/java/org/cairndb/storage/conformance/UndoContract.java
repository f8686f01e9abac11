package org.cairndb.storage.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.cairndb.storage.Capability;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.Oid;
import org.cairndb.storage.PackProgress;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;
import org.cairndb.storage.UndoException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Transactional undo, for {@link Capability#UNDO} storages: an undo is a new transaction that
 * puts each object of the undone one back to its previous revision, written as a backpointer
 * (dataTid) that iteration returns; undoing a creation leaves a revision without data; an
 * undo whose objects changed since fails. Storages without UNDO refuse it with
 * UnsupportedOperationException. (ZODB's TransactionalUndoStorage: checkSimpleTransactionalUndo,
 * checkCreationUndoneGetTid, checkTwoObjectUndo, checkNotUndoable, checkUndoCreationBranch,
 * checkTransactionalUndoAfterPack, checkTransactionalUndoIterator; RevisionStorage.checkLoadBeforeUndo.)
 */
public interface UndoContract extends StorageContract {

    private static void requireUndo(Storage s) {
        Assumptions.assumeTrue(s.supports(Capability.UNDO), "storage " + s.name() + " does not undo (no UNDO)");
    }

    private static long undo(Storage s, long tid) {
        StorageTransaction t = s.begin(TransactionMetadata.of("kit", "undo " + Tid.hex(tid)));
        t.undo(tid);
        t.vote();
        return t.finish();
    }

    /** An undo may be refused at undo() (UndoException) or found at vote (ConflictException/UndoException). */
    private static Throwable undoFailure(Storage s, long tid) {
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        try {
            t.undo(tid);
            t.vote();
        } catch (UndoException | ConflictException e) {
            t.abort();
            return e;
        }
        t.abort();
        throw new AssertionError("undo of " + Tid.hex(tid) + " was expected to fail");
    }

    @Test
    default void undo_withoutCapability_unsupported(Storage s) {
        Assumptions.assumeFalse(s.supports(Capability.UNDO), "storage " + s.name() + " supports undo");
        long t1 = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("x"));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        assertThatThrownBy(() -> t.undo(t1))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining(s.name());
        t.abort();
    }

    @Test
    default void undo_lastTransaction_restoresPreviousAsBackpointer(Storage s) {
        requireUndo(s);
        long t1 = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("1"));
        long t2 = Kit.commit(s, Oid.ROOT, t1, Records.object("2"));
        StorageTransaction t = s.begin(TransactionMetadata.of("kit", "undo t2"));
        assertThat(t.undo(t2)).containsExactly(Oid.ROOT);
        t.vote();
        long tu = t.finish();
        assertThat(tu).isGreaterThan(t2);
        assertThat(s.load(Oid.ROOT).tid()).isEqualTo(tu);
        assertThat(Records.text(s.load(Oid.ROOT).data())).isEqualTo("1");
        TransactionRecord r = Kit.transactions(s, tu, tu).get(0);
        assertThat(r.metadata().description()).isEqualTo("undo t2");
        assertThat(r.revisions()).containsExactly(new Revision(Oid.ROOT, tu, Records.object("1"), t1));
    }

    @Test
    default void undo_creation_objectGoneRevisionWithoutData(Storage s) {
        requireUndo(s);
        Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("root"));
        long[] a = Kit.commitNew(s, Records.object("created"));
        long tu = undo(s, a[1]);
        assertThatThrownBy(() -> s.load(a[0])).isInstanceOf(PosKeyException.class);
        TransactionRecord r = Kit.transactions(s, tu, tu).get(0);
        assertThat(r.revisions()).singleElement().satisfies(rev -> {
            assertThat(rev.oid()).isEqualTo(a[0]);
            assertThat(rev.hasData()).isFalse();
        });
        // the object can be stored again on top of the undo
        Kit.commit(s, a[0], tu, Records.object("recreated"));
        assertThat(Records.text(s.load(a[0]).data())).isEqualTo("recreated");
    }

    @Test
    default void undo_twoObjectsAtOnce(Storage s) {
        requireUndo(s);
        long[] o = s.newOids(2);
        StorageTransaction c = s.begin(TransactionMetadata.EMPTY);
        c.store(o[0], Tid.ZERO, Records.object("a1"));
        c.store(o[1], Tid.ZERO, Records.object("b1"));
        c.vote();
        long t1 = c.finish();
        StorageTransaction u = s.begin(TransactionMetadata.EMPTY);
        u.store(o[0], t1, Records.object("a2"));
        u.store(o[1], t1, Records.object("b2"));
        u.vote();
        long t2 = u.finish();
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        assertThat(t.undo(t2)).containsExactlyInAnyOrder(o[0], o[1]);
        t.vote();
        t.finish();
        assertThat(Records.text(s.load(o[0]).data())).isEqualTo("a1");
        assertThat(Records.text(s.load(o[1]).data())).isEqualTo("b1");
    }

    @Test
    default void undo_twoTransactionsInOneUndo(Storage s) {
        requireUndo(s);
        long[] a = Kit.commitNew(s, Records.object("a1"));
        long[] b = Kit.commitNew(s, Records.object("b1"));
        long ta = Kit.update(s, a[0], Records.object("a2"));
        long tb = Kit.update(s, b[0], Records.object("b2"));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.undo(ta);
        t.undo(tb);
        t.vote();
        long tu = t.finish();
        assertThat(Records.text(s.load(a[0]).data())).isEqualTo("a1");
        assertThat(Records.text(s.load(b[0]).data())).isEqualTo("b1");
        assertThat(Kit.transactions(s, tu, tu).get(0).revisions()).hasSize(2);
    }

    @Test
    default void undo_objectChangedSince_refusedNoTrace(Storage s) {
        requireUndo(s);
        long t1 = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("1"));
        long t2 = Kit.commit(s, Oid.ROOT, t1, Records.object("2"));
        long t3 = Kit.commit(s, Oid.ROOT, t2, Records.object("3"));
        undoFailure(s, t2);
        assertThat(s.lastTid()).isEqualTo(t3);
        assertThat(Records.text(s.load(Oid.ROOT).data())).isEqualTo("3");
    }

    @Test
    default void undo_unknownTid_undoException(Storage s) {
        requireUndo(s);
        long t1 = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("1"));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        assertThatThrownBy(() -> t.undo(t1 + 12345))
                .isInstanceOf(UndoException.class)
                .hasMessageContaining(Tid.hex(t1 + 12345));
        t.abort();
        assertThat(s.lastTid()).isEqualTo(t1);
    }

    @Test
    default void undo_ofUndo_redoes(Storage s) {
        requireUndo(s);
        long t1 = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("1"));
        long t2 = Kit.commit(s, Oid.ROOT, t1, Records.object("2"));
        long tu = undo(s, t2);
        long tr = undo(s, tu);
        assertThat(Records.text(s.load(Oid.ROOT).data())).isEqualTo("2");
        Revision redo = Kit.transactions(s, tr, tr).get(0).revisions().get(0);
        assertThat(redo.dataTid()).isEqualTo(t2);
        assertThat(redo.data()).isEqualTo(Records.object("2"));
    }

    @Test
    default void undo_aborted_changesNothing(Storage s) {
        requireUndo(s);
        long t1 = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("1"));
        long t2 = Kit.commit(s, Oid.ROOT, t1, Records.object("2"));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.undo(t2);
        t.vote();
        t.abort();
        assertThat(s.lastTid()).isEqualTo(t2);
        assertThat(Records.text(s.load(Oid.ROOT).data())).isEqualTo("2");
    }

    @Test
    default void loadBefore_afterUndo_seesEachRevision(Storage s) {
        requireUndo(s);
        long t1 = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("1"));
        long t2 = Kit.commit(s, Oid.ROOT, t1, Records.object("2"));
        long tu = undo(s, t2);
        assertThat(Records.text(s.loadBefore(Oid.ROOT, tu).data())).isEqualTo("2");
        assertThat(s.loadBefore(Oid.ROOT, tu).nextTid()).isEqualTo(tu);
        assertThat(Records.text(s.loadBefore(Oid.ROOT, tu + 1).data())).isEqualTo("1");
        assertThat(Records.text(s.loadSerial(Oid.ROOT, tu).data())).isEqualTo("1");
    }

    @Test
    default void undo_afterPackRemovedThePreviousRevision_refused(Storage s) {
        requireUndo(s);
        Assumptions.assumeTrue(s.supports(Capability.PACK), "storage " + s.name() + " does not pack");
        long t1 = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("1"));
        long t2 = Kit.commit(s, Oid.ROOT, t1, Records.object("2"));
        s.pack(Tid.next(t2), PackProgress.NONE);
        undoFailure(s, t2);
        assertThat(Records.text(s.load(Oid.ROOT).data())).isEqualTo("2");
    }

    @Test
    default void undo_counterChangedSince_mergedOrRefused_neverWrong(Storage s) {
        requireUndo(s);
        long[] c = Kit.commitNew(s, Records.counter(0));
        long t1 = Kit.update(s, c[0], Records.counter(1)); // +1: to be undone
        Kit.update(s, c[0], Records.counter(11)); // +10 since
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        try {
            t.undo(t1);
            t.vote();
            t.finish();
            // merged (ZODB's checkUndoConflictResolution): the +1 is taken back, the +10 stays
            assertThat(Records.counterValue(s.load(c[0]).data())).isEqualTo(10);
        } catch (UndoException | ConflictException e) {
            t.abort();
            assertThat(Records.counterValue(s.load(c[0]).data())).isEqualTo(11);
        }
    }

    @Test
    default void undo_iterationCopiesExactly(StorageFixture f) {
        Storage src = f.open();
        requireUndo(src);
        long t1 = Kit.commit(src, Oid.ROOT, Tid.ZERO, Records.object("1"));
        long t2 = Kit.commit(src, Oid.ROOT, t1, Records.object("2"));
        long[] a = Kit.commitNew(src, Records.object("created"));
        undo(src, t2);
        undo(src, a[1]);
        Storage dst = f.open();
        for (TransactionRecord r : Kit.transactions(src)) dst.restore(r);
        List<TransactionRecord> copied = Kit.transactions(dst);
        assertThat(copied).isEqualTo(Kit.transactions(src));
        assertThat(Records.text(dst.load(Oid.ROOT).data())).isEqualTo("1");
        assertThatThrownBy(() -> dst.load(a[0])).isInstanceOf(PosKeyException.class);
    }
}
