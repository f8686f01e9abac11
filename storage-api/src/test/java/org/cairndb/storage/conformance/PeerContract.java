package org.cairndb.storage.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.Invalidations;
import org.cairndb.storage.Oid;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Two storage objects on the same data, as two processes (fixtures that can:
 * {@link StorageFixture#canOpenPeer()}, e.g. postgres:// or cairn://): each sees the other's
 * commits after sync with the right invalidations, conflicts between them are detected, and
 * concurrent writers through both still equal a serial replay. (ZODB/ZEO's invalidation tests
 * and racetest.check_race_load_vs_external_invalidate.)
 */
public interface PeerContract extends StorageContract {

    private static Storage[] peers(StorageFixture f) {
        Storage a = f.open();
        Assumptions.assumeTrue(f.canOpenPeer(), "fixture " + f + " cannot open a second storage on the same data");
        return new Storage[] {a, f.openPeer(a)};
    }

    @Test
    default void peer_seesCommitsAfterSync_withInvalidations(StorageFixture f) {
        Storage[] p = peers(f);
        long t1 = Kit.commit(p[0], Oid.ROOT, Tid.ZERO, Records.object("from a"));
        try (StorageView v = p[1].openView()) {
            if (v.tid() < t1) {
                Invalidations inv = v.sync();
                assertThat(inv.all() || List.of(box(inv.oids())).contains(Oid.ROOT))
                        .isTrue();
            }
            assertThat(v.tid()).isGreaterThanOrEqualTo(t1);
            assertThat(Records.text(v.load(Oid.ROOT).data())).isEqualTo("from a");
            long t2 = Kit.commit(p[1], Oid.ROOT, t1, Records.object("from b"));
            assertThat(t2).isGreaterThan(t1);
            Invalidations inv = v.sync();
            assertThat(inv.all() || List.of(box(inv.oids())).contains(Oid.ROOT)).isTrue();
            assertThat(Records.text(v.load(Oid.ROOT).data())).isEqualTo("from b");
        }
        try (StorageView v = p[0].openView()) {
            v.sync();
            assertThat(Records.text(v.load(Oid.ROOT).data())).isEqualTo("from b");
        }
    }

    private static Long[] box(long[] a) {
        Long[] b = new Long[a.length];
        for (int i = 0; i < a.length; i++) b[i] = a[i];
        return b;
    }

    @Test
    default void peer_conflictsDetectedAcrossStorages(StorageFixture f) {
        Storage[] p = peers(f);
        long t1 = Kit.commit(p[0], Oid.ROOT, Tid.ZERO, Records.object("base"));
        Kit.commit(p[0], Oid.ROOT, t1, Records.object("a wins"));
        StorageTransaction t = p[1].begin(TransactionMetadata.EMPTY);
        Throwable e = Kit.storeAndVoteFailure(t, () -> t.store(Oid.ROOT, t1, Records.object("b loses")));
        t.abort();
        assertThat(e).isInstanceOf(ConflictException.class);
    }

    @Test
    default void peer_concurrentWriters_equalSerialReplay(StorageFixture f) {
        Storage[] p = peers(f);
        long[] objects = p[0].newOids(4);
        var committed = ConcurrencyContract.runWriters(List.of(p[0], p[1]), 4, 40, objects);
        try (StorageView v = p[0].openView()) {
            v.sync();
        }
        ConcurrencyContract.assertSerialReplay(p[0], committed, objects);
    }

    @Test
    default void peer_tidsIncreaseAcrossStorages(StorageFixture f) {
        Storage[] p = peers(f);
        long last = Tid.ZERO;
        for (int i = 0; i < 10; i++) {
            long tid = Kit.commit(p[i % 2], Oid.ROOT, last, Records.object("v" + i));
            assertThat(tid).isGreaterThan(last);
            last = tid;
        }
    }
}
