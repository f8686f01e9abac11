package org.cairndb.storage.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import org.cairndb.storage.Oid;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageMisuseException;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Oid allocation: never the root, never twice, from many threads at once, across peers, and
 * never an oid already in use (stored directly, restored, or committed before a reopen).
 * (ZODB's MTStorage new_oid threads, FileStorage's set_max_oid on store and restore.)
 */
public interface OidAllocationContract extends StorageContract {

    @Test
    default void newOids_distinctAndNeverRoot(Storage s) {
        Set<Long> seen = new HashSet<>();
        for (int n : new int[] {1, 2, 7, 100, 1, 1000}) {
            long[] oids = s.newOids(n);
            assertThat(oids).hasSize(n);
            for (long oid : oids) {
                assertThat(oid).isNotEqualTo(Oid.ROOT);
                assertThat(seen.add(oid))
                        .as("oid %s handed out twice", Oid.describe(oid))
                        .isTrue();
            }
        }
    }

    @Test
    default void newOids_zero_isEmpty_andHandsOutNothing(Storage s) {
        long[] before = s.newOids(1);
        assertThat(s.newOids(0)).isEmpty();
        assertThat(s.newOids(1)[0]).isNotEqualTo(before[0]);
    }

    @Test
    default void newOids_negative_isMisuse(Storage s) {
        assertThatThrownBy(() -> s.newOids(-1))
                .isInstanceOf(StorageMisuseException.class)
                .hasMessageContaining("-1");
    }

    @Test
    default void newOids_manyThreads_unique(Storage s) throws Exception {
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Threads.Task<long[]>> tasks = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int seed = i;
            tasks.add(Threads.start("oids-" + i, () -> {
                Random r = new Random(seed);
                start.await();
                List<Long> mine = new ArrayList<>();
                for (int k = 0; k < 300; k++) for (long oid : s.newOids(1 + r.nextInt(20))) mine.add(oid);
                return mine.stream().mapToLong(Long::longValue).toArray();
            }));
        }
        Set<Long> all = new HashSet<>();
        long total = 0;
        for (Threads.Task<long[]> t : tasks) {
            long[] oids = t.join();
            total += oids.length;
            for (long oid : oids) all.add(oid);
        }
        assertThat(all)
                .as("duplicates among %s oids", total)
                .hasSize((int) total)
                .doesNotContain(Oid.ROOT);
    }

    @Test
    default void newOids_afterDirectStoreOfHigherOid_skipsIt(Storage s) {
        long high = s.newOids(1)[0] + 50;
        Kit.commit(s, high, Tid.ZERO, Records.object("stored under an oid never handed out"));
        for (long oid : s.newOids(200)) assertThat(oid).isNotEqualTo(high);
    }

    @Test
    default void newOids_afterRestore_neverAnOidInUse(Storage s) {
        List<Revision> revs = new ArrayList<>();
        long tid = Tid.next(Tid.ZERO);
        for (long oid = 1; oid <= 300; oid++) revs.add(Revision.of(oid, tid, Records.object("restored " + oid)));
        s.restore(new TransactionRecord(tid, false, TransactionMetadata.of("copy", "restored"), revs));
        for (long oid : s.newOids(1000)) {
            assertThat(oid)
                    .as("oid %s is in use by a restored object", Oid.describe(oid))
                    .matches(o -> o < 1 || o > 300);
        }
    }

    @Test
    default void newOids_peers_neverShareAnOid(StorageFixture f) {
        Storage a = f.open();
        Assumptions.assumeTrue(f.canOpenPeer(), "fixture " + f + " cannot open a second storage on the same data");
        Storage b = f.openPeer(a);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            for (long oid : a.newOids(7)) assertThat(seen.add(oid)).isTrue();
            for (long oid : b.newOids(5)) assertThat(seen.add(oid)).isTrue();
        }
    }

    @Test
    default void newOids_afterReopen_neverACommittedOid(StorageFixture f) {
        Storage s = f.open();
        Assumptions.assumeTrue(f.persistent(), "fixture " + f + " is not persistent");
        Set<Long> used = new HashSet<>();
        for (int i = 0; i < 20; i++) used.add(Kit.commitNew(s, Records.object("x" + i))[0]);
        Storage again = f.reopen(s);
        for (long oid : again.newOids(500)) assertThat(used).doesNotContain(oid);
    }
}
