package org.cairndb.storage.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.cairndb.storage.ConflictException;
import org.cairndb.storage.Oid;
import org.cairndb.storage.ReadConflictException;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;
import org.junit.jupiter.api.Test;

/**
 * checkCurrent: a transaction may assert that objects it only read are still current at vote;
 * if one changed, vote fails with {@link ReadConflictException} (never resolved) and the
 * transaction leaves no trace. A passing check writes nothing. (ZODB's
 * check_checkCurrentSerialInTransaction.)
 */
public interface ReadConflictContract extends StorageContract {

    @Test
    default void checkCurrent_unchanged_commitsWithoutWritingTheObject(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("read only"));
        long[] b = Kit.commitNew(s, Records.object("b1"));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.checkCurrent(a[0], a[1]);
        t.store(b[0], b[1], Records.object("b2"));
        t.vote();
        long tid = t.finish();
        assertThat(s.load(a[0]).tid()).isEqualTo(a[1]);
        assertThat(s.load(b[0]).tid()).isEqualTo(tid);
        TransactionRecord last = Kit.transactions(s).get(Kit.transactions(s).size() - 1);
        assertThat(last.revisions()).extracting(r -> r.oid()).containsExactly(b[0]);
    }

    @Test
    default void checkCurrent_changed_readConflictWithOidAndTids(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("a1"));
        long[] b = Kit.commitNew(s, Records.object("b1"));
        long ta2 = Kit.commit(s, a[0], a[1], Records.object("a2"));
        long last = s.lastTid();
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        Throwable e = Kit.storeAndVoteFailure(t, () -> {
            t.checkCurrent(a[0], a[1]);
            t.store(b[0], b[1], Records.object("b2 must not appear"));
        });
        t.abort();
        assertThat(e)
                .isInstanceOf(ReadConflictException.class)
                .isInstanceOf(RetryableException.class)
                .hasMessageContaining("0x" + Long.toHexString(a[0]));
        ReadConflictException rc = (ReadConflictException) e;
        assertThat(rc.oid()).isEqualTo(a[0]);
        assertThat(rc.readTid()).isEqualTo(a[1]);
        assertThat(rc.currentTid()).isEqualTo(ta2);
        assertThat(s.lastTid()).isEqualTo(last);
        assertThat(Records.text(s.load(b[0]).data())).isEqualTo("b1");
    }

    @Test
    default void checkCurrent_changedBetweenCheckAndVote_detectedAtVote(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("a1"));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.checkCurrent(a[0], a[1]);
        t.store(Oid.ROOT, Tid.ZERO, Records.object("root"));
        Kit.commit(s, a[0], a[1], Records.object("a2 from another transaction"));
        Throwable e = Kit.storeAndVoteFailure(t, () -> {});
        t.abort();
        assertThat(e).isInstanceOf(ReadConflictException.class);
        assertThat(Kit.loadedTid(s, Oid.ROOT)).isEqualTo(Tid.ZERO);
    }

    @Test
    default void checkCurrent_deletedObject_readConflict(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("a1"));
        Kit.delete(s, a[0]);
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        Throwable e = Kit.storeAndVoteFailure(t, () -> t.checkCurrent(a[0], a[1]));
        t.abort();
        assertThat(e).isInstanceOf(ReadConflictException.class);
    }

    @Test
    default void checkCurrent_objectNeverStored_zeroIsCurrent(Storage s) {
        long oid = s.newOids(1)[0];
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.checkCurrent(oid, Tid.ZERO);
        t.store(Oid.ROOT, Tid.ZERO, Records.object("root"));
        t.vote();
        t.finish();
        assertThat(Records.text(s.load(Oid.ROOT).data())).isEqualTo("root");
    }

    @Test
    default void checkCurrent_resolvableClass_isNeverResolved(Storage s) {
        long[] c = Kit.commitNew(s, Records.counter(1));
        Kit.commit(s, c[0], c[1], Records.counter(2));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        Throwable e = Kit.storeAndVoteFailure(t, () -> t.checkCurrent(c[0], c[1]));
        t.abort();
        assertThat(e).isInstanceOf(ReadConflictException.class);
        assertThat(((ConflictException) e).className()).isIn(Records.COUNTER_CLASS, null);
    }

    @Test
    default void checkCurrent_andStoreOfSameOid_storeConflictStillReported(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("a1"));
        Kit.commit(s, a[0], a[1], Records.object("a2"));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        Throwable e = Kit.storeAndVoteFailure(t, () -> {
            t.checkCurrent(a[0], a[1]);
            t.store(a[0], a[1], Records.object("a3"));
        });
        t.abort();
        assertThat(e).isInstanceOf(ConflictException.class);
        assertThat(Records.text(s.load(a[0]).data())).isEqualTo("a2");
    }
}
