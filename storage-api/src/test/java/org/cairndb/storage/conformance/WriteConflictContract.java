package org.cairndb.storage.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cairndb.storage.Capability;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.ReadConflictException;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Write conflicts: a store (or delete) whose read tid is not the object's current tid fails
 * with a {@link ConflictException} naming oid, class, read tid and current tid; first
 * committer wins; the loser leaves no trace and succeeds when retried on fresh data.
 * (ZODB's BasicStorage.checkConflicts, and more.)
 */
public interface WriteConflictContract extends StorageContract {

    private static ConflictException conflictOf(StorageTransaction t, Runnable stores) {
        Throwable e = Kit.storeAndVoteFailure(t, stores);
        t.abort();
        assertThat(e).isInstanceOf(ConflictException.class).isNotInstanceOf(ReadConflictException.class);
        return (ConflictException) e;
    }

    @Test
    default void store_staleReadTid_conflictNamesOidClassAndTids(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("v1"));
        long t2 = Kit.commit(s, a[0], a[1], Records.object("v2"));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        ConflictException c = conflictOf(t, () -> t.store(a[0], a[1], Records.object("v3 from stale read")));
        assertThat(c.oid()).isEqualTo(a[0]);
        assertThat(c.className()).isEqualTo(Records.OBJECT_CLASS);
        assertThat(c.readTid()).isEqualTo(a[1]);
        assertThat(c.currentTid()).isEqualTo(t2);
        assertThat(c)
                .isInstanceOf(RetryableException.class)
                .hasMessageContaining("0x" + Long.toHexString(a[0]))
                .hasMessageContaining(Tid.hex(a[1]))
                .hasMessageContaining(Tid.hex(t2));
        assertThat(Records.text(s.load(a[0]).data())).isEqualTo("v2");
        assertThat(s.lastTid()).isEqualTo(t2);
    }

    @Test
    default void store_bothCreateSameOid_secondConflicts(Storage s) {
        long oid = s.newOids(1)[0];
        StorageTransaction first = s.begin(TransactionMetadata.EMPTY);
        StorageTransaction second = s.begin(TransactionMetadata.EMPTY);
        first.store(oid, Tid.ZERO, Records.object("first"));
        first.vote();
        long t1 = first.finish();
        ConflictException c = conflictOf(second, () -> second.store(oid, Tid.ZERO, Records.object("second")));
        assertThat(c.oid()).isEqualTo(oid);
        assertThat(c.readTid()).isEqualTo(Tid.ZERO);
        assertThat(c.currentTid()).isEqualTo(t1);
        assertThat(Records.text(s.load(oid).data())).isEqualTo("first");
    }

    @Test
    default void store_readTidForObjectNeverStored_conflicts(Storage s) {
        long base = Kit.commit(s, 0, Tid.ZERO, Records.object("root"));
        long oid = s.newOids(1)[0];
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        ConflictException c = conflictOf(t, () -> t.store(oid, base, Records.object("claims an old revision")));
        assertThat(c.oid()).isEqualTo(oid);
        assertThat(c.readTid()).isEqualTo(base);
        assertThat(c.currentTid()).isEqualTo(Tid.ZERO);
        assertThatThrownBy(() -> s.load(oid)).isInstanceOf(PosKeyException.class);
    }

    @Test
    default void delete_staleReadTid_conflicts(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("v1"));
        long t2 = Kit.commit(s, a[0], a[1], Records.object("v2"));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        ConflictException c = conflictOf(t, () -> t.delete(a[0], a[1]));
        assertThat(c.oid()).isEqualTo(a[0]);
        assertThat(c.currentTid()).isEqualTo(t2);
        assertThat(Records.text(s.load(a[0]).data())).isEqualTo("v2");
    }

    @Test
    default void store_afterConcurrentDelete_conflicts(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("v1"));
        Kit.delete(s, a[0]);
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        ConflictException c = conflictOf(t, () -> t.store(a[0], a[1], Records.object("edit of a deleted object")));
        assertThat(c.readTid()).isEqualTo(a[1]);
        assertThat(c.currentTid()).isNotEqualTo(a[1]);
        assertThatThrownBy(() -> s.load(a[0])).isInstanceOf(PosKeyException.class);
    }

    @Test
    default void store_foreignRecordConflict_hasNoClassName(Storage s) {
        long[] a = Kit.commitNew(s, Records.foreign("v1"));
        Kit.commit(s, a[0], a[1], Records.foreign("v2"));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        ConflictException c = conflictOf(t, () -> t.store(a[0], a[1], Records.foreign("v3")));
        assertThat(c.className()).isNull();
        assertThat(s.load(a[0]).data()).isEqualTo(Records.foreign("v2"));
    }

    @Test
    default void firstCommitterWins_loserRetriesOnFreshData(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("base"));
        StorageTransaction winner = s.begin(TransactionMetadata.of("kit", "winner"));
        StorageTransaction loser = s.begin(TransactionMetadata.of("kit", "loser"));
        winner.store(a[0], a[1], Records.object("winner"));
        winner.vote();
        long tw = winner.finish();
        conflictOf(loser, () -> loser.store(a[0], a[1], Records.object("loser")));
        assertThat(Records.text(s.load(a[0]).data())).isEqualTo("winner");
        long tr = Kit.commit(s, a[0], s.load(a[0]).tid(), Records.object("loser, retried"));
        assertThat(tr).isGreaterThan(tw);
        assertThat(Records.text(s.load(a[0]).data())).isEqualTo("loser, retried");
    }

    @Test
    default void conflictInOneObject_noneOfTheOthersWritten(Storage s) {
        long[] oids = s.newOids(5);
        StorageTransaction init = s.begin(TransactionMetadata.EMPTY);
        for (long oid : oids) init.store(oid, Tid.ZERO, Records.object("0"));
        init.vote();
        long t0 = init.finish();
        Kit.commit(s, oids[3], t0, Records.object("changed"));
        long last = s.lastTid();
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        conflictOf(t, () -> {
            for (long oid : oids) t.store(oid, t0, Records.object("1"));
        });
        assertThat(s.lastTid()).isEqualTo(last);
        for (int i = 0; i < oids.length; i++) {
            assertThat(Records.text(s.load(oids[i]).data())).isEqualTo(i == 3 ? "changed" : "0");
        }
    }

    @Test
    default void conflict_counterWithoutResolution_isReported(Storage s) {
        Assumptions.assumeFalse(
                s.supports(Capability.CONFLICT_RESOLUTION),
                "the storage resolves conflicts: ConflictResolutionContract checks counters are merged");
        long[] a = Kit.commitNew(s, Records.counter(10));
        Kit.commit(s, a[0], a[1], Records.counter(11));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        ConflictException c = conflictOf(t, () -> t.store(a[0], a[1], Records.counter(15)));
        assertThat(c.className()).isEqualTo(Records.COUNTER_CLASS);
        assertThat(Records.counterValue(s.load(a[0]).data())).isEqualTo(11);
    }

    @Test
    default void store_twiceSameOid_firstReadTidCounts(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("v1"));
        long t2 = Kit.commit(s, a[0], a[1], Records.object("v2"));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        // The second store names the current tid, but the transaction read the object at a[1]:
        // it is still a conflict (a writer cannot launder a stale read by storing again).
        ConflictException c = conflictOf(t, () -> {
            t.store(a[0], a[1], Records.object("from stale"));
            t.store(a[0], t2, Records.object("again"));
        });
        assertThat(c.readTid()).isEqualTo(a[1]);
    }
}
