package org.cairndb.storage.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.Oid;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.junit.jupiter.api.Test;

/**
 * Basic load and store (ZODB's BasicStorage): what a fresh storage holds, what a commit
 * makes visible, serials, deletions, record contents kept byte for byte.
 */
public interface BasicStorageContract extends StorageContract {

    @Test
    default void emptyStorage_hasNothing(Storage s) {
        assertThat(s.lastTid()).isEqualTo(Tid.ZERO);
        assertThat(s.objectCount()).isZero();
        assertThat(s.name()).isNotBlank();
        assertThat(s.capabilities()).isNotNull();
        assertThatThrownBy(() -> s.load(Oid.ROOT))
                .isInstanceOf(PosKeyException.class)
                .satisfies(e -> assertThat(((PosKeyException) e).oid()).isEqualTo(Oid.ROOT));
    }

    @Test
    default void load_missingOid_posKeyNamesOid(Storage s) {
        Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("root"));
        long missing = 0x7777L;
        assertThatThrownBy(() -> s.load(missing))
                .isInstanceOf(PosKeyException.class)
                .hasMessageContaining("0x7777")
                .satisfies(e -> assertThat(((PosKeyException) e).oid()).isEqualTo(missing));
    }

    @Test
    default void store_newObject_loadReturnsDataAndCommitTid(Storage s) {
        byte[] data = Records.object("hello");
        long tid = Kit.commit(s, Oid.ROOT, Tid.ZERO, data);
        Loaded l = s.load(Oid.ROOT);
        assertThat(l.oid()).isEqualTo(Oid.ROOT);
        assertThat(l.tid()).isEqualTo(tid);
        assertThat(l.data()).isEqualTo(data);
        assertThat(l.isCurrent()).isTrue();
        assertThat(s.lastTid()).isEqualTo(tid);
        assertThat(s.objectCount()).isEqualTo(1);
    }

    @Test
    default void store_secondRevision_loadReturnsLatest(Storage s) {
        long t1 = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("one"));
        long t2 = Kit.commit(s, Oid.ROOT, t1, Records.object("two"));
        assertThat(t2).isGreaterThan(t1);
        Loaded l = s.load(Oid.ROOT);
        assertThat(Records.text(l.data())).isEqualTo("two");
        assertThat(l.tid()).isEqualTo(t2);
        assertThat(s.objectCount()).isEqualTo(1);
    }

    @Test
    default void store_twoObjectsOneTransaction_shareTheTid(Storage s) {
        long[] oids = s.newOids(2);
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.store(oids[0], Tid.ZERO, Records.object("a"));
        t.store(oids[1], Tid.ZERO, Records.object("b"));
        t.vote();
        long tid = t.finish();
        assertThat(s.load(oids[0]).tid()).isEqualTo(tid);
        assertThat(s.load(oids[1]).tid()).isEqualTo(tid);
        assertThat(Records.text(s.load(oids[1]).data())).isEqualTo("b");
        assertThat(s.objectCount()).isEqualTo(2);
    }

    @Test
    default void store_sameOidTwiceInOneTransaction_lastDataWins(Storage s) {
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.store(Oid.ROOT, Tid.ZERO, Records.object("first"));
        t.store(Oid.ROOT, Tid.ZERO, Records.object("second"));
        t.vote();
        long tid = t.finish();
        assertThat(Records.text(s.load(Oid.ROOT).data())).isEqualTo("second");
        assertThat(Kit.transactions(s))
                .singleElement()
                .satisfies(r -> assertThat(r.revisions())
                        .singleElement()
                        .satisfies(rev -> assertThat(rev.tid()).isEqualTo(tid)));
    }

    @Test
    default void store_emptyRecord_isDataNotDeletion(Storage s) {
        Kit.commit(s, Oid.ROOT, Tid.ZERO, new byte[0]);
        assertThat(s.load(Oid.ROOT).data()).isEmpty();
        assertThat(s.objectCount()).isEqualTo(1);
    }

    @Test
    default void store_largeRecord_keptByteForByte(Storage s) {
        byte[] body = new byte[256 * 1024 + 17];
        new Random(42).nextBytes(body);
        byte[] data = Records.of(Records.OBJECT_CLASS, body);
        Kit.commit(s, Oid.ROOT, Tid.ZERO, data);
        assertThat(s.load(Oid.ROOT).data()).isEqualTo(data);
    }

    @Test
    default void store_foreignRecord_keptByteForByte(Storage s) {
        byte[] pickle = Records.foreign("(dp0\nS'name'\np1\nS'zodb'\np2\ns.");
        Kit.commit(s, Oid.ROOT, Tid.ZERO, pickle);
        assertThat(s.load(Oid.ROOT).data()).isEqualTo(pickle);
        byte[] allBytes = new byte[256];
        for (int i = 0; i < 256; i++) allBytes[i] = (byte) i;
        long oid = s.newOids(1)[0];
        Kit.commit(s, oid, Tid.ZERO, allBytes);
        assertThat(s.load(oid).data()).isEqualTo(allBytes);
    }

    @Test
    default void store_unsignedHighOids_roundTrip(Storage s) {
        long[] oids = {-1L, Long.MIN_VALUE, Long.MAX_VALUE, 0xFFFF_FFFFL};
        Map<Long, byte[]> writes = new HashMap<>();
        for (long oid : oids) writes.put(oid, Records.object("oid " + Long.toUnsignedString(oid)));
        long tid = Kit.commitAll(s, writes);
        for (long oid : oids) {
            Loaded l = s.load(oid);
            assertThat(l.tid()).isEqualTo(tid);
            assertThat(Records.text(l.data())).isEqualTo("oid " + Long.toUnsignedString(oid));
        }
    }

    @Test
    default void store_manyObjects_allLoadable(Storage s) {
        long[] oids = s.newOids(2000);
        Map<Long, Long> tids = new HashMap<>();
        for (int batch = 0; batch < 20; batch++) {
            StorageTransaction t = s.begin(TransactionMetadata.of("kit", "batch " + batch));
            for (int i = batch * 100; i < batch * 100 + 100; i++) t.store(oids[i], Tid.ZERO, Records.object("n" + i));
            t.vote();
            long tid = t.finish();
            for (int i = batch * 100; i < batch * 100 + 100; i++) tids.put(oids[i], tid);
        }
        assertThat(s.objectCount()).isEqualTo(2000);
        for (int i = 0; i < oids.length; i++) {
            Loaded l = s.load(oids[i]);
            assertThat(Records.text(l.data())).isEqualTo("n" + i);
            assertThat(l.tid()).isEqualTo(tids.get(oids[i]));
        }
    }

    @Test
    default void delete_objectGone_loadIsPosKey(Storage s) {
        long[] created = Kit.commitNew(s, Records.object("doomed"));
        Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("root"));
        assertThat(s.objectCount()).isEqualTo(2);
        long tid = Kit.delete(s, created[0]);
        assertThat(s.lastTid()).isEqualTo(tid);
        assertThatThrownBy(() -> s.load(created[0])).isInstanceOf(PosKeyException.class);
        assertThat(s.objectCount()).isEqualTo(1);
        assertThat(Records.text(s.load(Oid.ROOT).data())).isEqualTo("root");
    }

    @Test
    default void delete_thenStoreAgain_objectIsBack(Storage s) {
        long[] created = Kit.commitNew(s, Records.object("v1"));
        Kit.delete(s, created[0]);
        long tid = Kit.update(s, created[0], Records.object("v2"));
        assertThat(s.load(created[0]).tid()).isEqualTo(tid);
        assertThat(Records.text(s.load(created[0]).data())).isEqualTo("v2");
        assertThat(s.objectCount()).isEqualTo(1);
    }

    @Test
    default void emptyTransaction_commitsAndChangesNothing(Storage s) {
        long t1 = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("root"));
        for (int i = 0; i < 3; i++) {
            StorageTransaction t = s.begin(TransactionMetadata.of("kit", "empty " + i));
            t.vote();
            long tid = t.finish();
            assertThat(tid).isGreaterThanOrEqualTo(t1);
            assertThat(t.state()).isEqualTo(StorageTransaction.State.FINISHED);
        }
        assertThat(s.load(Oid.ROOT).tid()).isEqualTo(t1);
        assertThat(s.objectCount()).isEqualTo(1);
        long after = Kit.commit(s, Oid.ROOT, t1, Records.object("root 2"));
        assertThat(after).isGreaterThan(t1);
    }

    @Test
    default void finish_returnsTidGreaterThanLastAndBecomesLast(Storage s) {
        long last = s.lastTid();
        for (int i = 0; i < 20; i++) {
            long tid = Kit.update(s, Oid.ROOT, Records.object("v" + i));
            assertThat(tid).isGreaterThan(last);
            assertThat(s.lastTid()).isEqualTo(tid);
            last = tid;
        }
    }

    @Test
    default void transactionState_followsTwoPhases(Storage s) {
        StorageTransaction t = s.begin(TransactionMetadata.of("u", "d"));
        assertThat(t.state()).isEqualTo(StorageTransaction.State.ACTIVE);
        assertThat(t.metadata()).isEqualTo(TransactionMetadata.of("u", "d"));
        t.store(Oid.ROOT, Tid.ZERO, Records.object("x"));
        assertThat(t.vote()).isEmpty();
        assertThat(t.state()).isEqualTo(StorageTransaction.State.VOTED);
        t.finish();
        assertThat(t.state()).isEqualTo(StorageTransaction.State.FINISHED);
    }

    @Test
    default void close_twice_isHarmless(Storage s) {
        Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("x"));
        s.close();
        s.close();
    }
}
