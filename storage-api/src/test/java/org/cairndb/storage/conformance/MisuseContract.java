package org.cairndb.storage.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;
import org.cairndb.storage.Capability;
import org.cairndb.storage.Oid;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageMisuseException;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.junit.jupiter.api.Test;

/**
 * Calls out of order and bad arguments get {@link StorageMisuseException} (or the documented
 * error) saying what was wrong, and change nothing. (ZODB's Synchronization:
 * checkStoreNotCommitting, checkAbortNotCommitting, checkFinishNotCommitting,
 * checkBeginCommitting, and BasicStorage.checkBasics.)
 */
public interface MisuseContract extends StorageContract {

    private static StorageTransaction voted(Storage s) {
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.store(Oid.ROOT, Kit.loadedTid(s, Oid.ROOT), Records.object("voted"));
        t.vote();
        return t;
    }

    private static StorageTransaction finished(Storage s) {
        StorageTransaction t = voted(s);
        t.finish();
        return t;
    }

    private static StorageTransaction aborted(Storage s) {
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.store(Oid.ROOT, Kit.loadedTid(s, Oid.ROOT), Records.object("aborted"));
        t.abort();
        return t;
    }

    private static void assertMisuse(
            Storage s, StorageTransaction t, Consumer<StorageTransaction> call, String... mentions) {
        long last = s.lastTid();
        StorageTransaction.State before = t.state();
        assertThatThrownBy(() -> call.accept(t))
                .isInstanceOf(StorageMisuseException.class)
                .satisfies(e -> {
                    for (String m : mentions) assertThat(e.getMessage()).containsIgnoringCase(m);
                });
        assertThat(t.state())
                .as("a refused call does not change the transaction's state")
                .isEqualTo(before);
        t.abort();
        assertThat(s.lastTid()).isEqualTo(last);
    }

    @Test
    default void store_afterVote_misuse(Storage s) {
        assertMisuse(s, voted(s), t -> t.store(5, Tid.ZERO, Records.object("late")), "vote");
        assertThatThrownBy(() -> s.load(5)).isInstanceOf(PosKeyException.class);
        assertThatThrownBy(() -> s.load(Oid.ROOT)).isInstanceOf(PosKeyException.class);
    }

    @Test
    default void delete_afterVote_misuse(Storage s) {
        assertMisuse(s, voted(s), t -> t.delete(Oid.ROOT, Tid.ZERO), "vote");
    }

    @Test
    default void checkCurrent_afterVote_misuse(Storage s) {
        assertMisuse(s, voted(s), t -> t.checkCurrent(Oid.ROOT, Tid.ZERO), "vote");
    }

    @Test
    default void vote_twice_misuse(Storage s) {
        assertMisuse(s, voted(s), StorageTransaction::vote, "vote");
        // the abort inside assertMisuse released the lock: another commit goes through
        Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("after"));
    }

    @Test
    default void finish_beforeVote_misuse(Storage s) {
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.store(Oid.ROOT, Tid.ZERO, Records.object("x"));
        assertMisuse(s, t, StorageTransaction::finish, "vote");
        assertThatThrownBy(() -> s.load(Oid.ROOT)).isInstanceOf(PosKeyException.class);
    }

    @Test
    default void finish_twice_misuse(Storage s) {
        StorageTransaction t = finished(s);
        long tid = s.lastTid();
        assertThatThrownBy(t::finish).isInstanceOf(StorageMisuseException.class);
        assertThat(s.lastTid()).isEqualTo(tid);
        assertThat(t.state()).isEqualTo(StorageTransaction.State.FINISHED);
    }

    @Test
    default void store_afterFinish_misuse(Storage s) {
        StorageTransaction t = finished(s);
        assertThatThrownBy(() -> t.store(5, Tid.ZERO, Records.object("x")))
                .isInstanceOf(StorageMisuseException.class)
                .hasMessageContaining("FINISHED");
        assertThatThrownBy(() -> s.load(5)).isInstanceOf(PosKeyException.class);
    }

    @Test
    default void callsAfterAbort_misuse(Storage s) {
        assertMisuse(s, aborted(s), t -> t.store(5, Tid.ZERO, Records.object("x")), "ABORTED");
        assertMisuse(s, aborted(s), StorageTransaction::vote, "ABORTED");
        assertMisuse(s, aborted(s), StorageTransaction::finish);
        assertMisuse(s, aborted(s), t -> t.checkCurrent(5, Tid.ZERO));
    }

    @Test
    default void vote_afterFailedVote_misuse(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("1"));
        Kit.update(s, a[0], Records.object("2"));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        Kit.storeAndVoteFailure(t, () -> t.store(a[0], a[1], Records.object("stale")));
        assertThat(t.state()).isEqualTo(StorageTransaction.State.ABORTED);
        assertThatThrownBy(t::vote).isInstanceOf(StorageMisuseException.class);
        assertThatThrownBy(t::finish).isInstanceOf(StorageMisuseException.class);
    }

    @Test
    default void store_nullData_misuseNamesOidAndSaysUseDelete(Storage s) {
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        assertMisuse(s, t, x -> x.store(0x2a, Tid.ZERO, null), "0x2a", "delete");
    }

    @Test
    default void undo_afterVote_misuseOrUnsupported(Storage s) {
        long t1 = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("1"));
        StorageTransaction t = voted(s);
        if (s.supports(Capability.UNDO)) {
            assertMisuse(s, t, x -> x.undo(t1), "vote");
        } else {
            assertThatThrownBy(() -> t.undo(t1))
                    .isInstanceOfAny(StorageMisuseException.class, UnsupportedOperationException.class);
            t.abort();
        }
    }

    @Test
    default void misuseMessages_nameTheStorage(Storage s) {
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        assertThatThrownBy(t::finish).hasMessageContaining(s.name());
        t.abort();
    }

    @Test
    default void loadSerial_unknown_posKey(Storage s) {
        long t1 = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("x"));
        assertThatThrownBy(() -> s.loadSerial(Oid.ROOT, Tid.ZERO)).isInstanceOf(PosKeyException.class);
        assertThatThrownBy(() -> s.loadSerial(0x99, t1))
                .isInstanceOf(PosKeyException.class)
                .hasMessageContaining("0x99");
    }

    @Test
    default void begin_nullMetadata_treatedAsEmpty(Storage s) {
        StorageTransaction t = s.begin(null);
        assertThat(t.metadata()).isEqualTo(TransactionMetadata.EMPTY);
        t.store(Oid.ROOT, Tid.ZERO, Records.object("x"));
        t.vote();
        long tid = t.finish();
        assertThat(Kit.transactions(s, tid, tid).get(0).metadata()).isEqualTo(TransactionMetadata.EMPTY);
    }
}
