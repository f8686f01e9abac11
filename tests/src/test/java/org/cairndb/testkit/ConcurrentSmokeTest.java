package org.cairndb.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.btree.BTreeMap;
import org.cairndb.client.collections.Counter;
import org.cairndb.storage.Storage;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one test with real threads racing (the kit's schedules run on one thread so they replay
 * exactly): writers each on their own connection increment one Counter and append increasing
 * keys of their own to one BTreeMap through run(...), all at once. Nothing may be lost, the
 * tree's invariants hold, and on a storage that resolves conflicts the counter increments
 * never reach the application as a conflict (each writer gets a single attempt for them).
 */
class ConcurrentSmokeTest {
    private static final int WRITERS = 4;
    private static final int TXNS = 25;

    @ParameterizedTest
    @ValueSource(strings = {"temp:", "mem:"})
    void writers_counterAndAppends_nothingLost(String uri) throws Exception {
        try (Storage storage = Storages.open(uri);
                Database db = Database.open(storage)) {
            long counterOid;
            long treeOid;
            try (Connection c = db.open()) {
                c.transactionManager().begin();
                Counter counter = c.add(new Counter());
                BTreeMap<Long, Integer> tree = c.add(new BTreeMap<>(4, 3));
                c.transactionManager().commit();
                counterOid = counter.oid();
                treeOid = tree.oid();
            }
            boolean resolves = storage.supports(org.cairndb.storage.Capability.CONFLICT_RESOLUTION);
            CyclicBarrier start = new CyclicBarrier(WRITERS);
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    done.add(pool.submit(() -> {
                        try (Database own = Database.open(storage);
                                Connection c = own.open()) {
                            start.await();
                            for (int i = 0; i < TXNS; i++) {
                                // one attempt where merging must succeed: a conflict here fails the test
                                c.transactionManager()
                                        .run(
                                                resolves ? 1 : 100,
                                                () -> c.<Counter>get(counterOid).increment());
                                long key =
                                        (long) i * WRITERS + writer; // increasing per writer, distinct across writers
                                c.transactionManager()
                                        .run(
                                                100,
                                                () -> c.<BTreeMap<Long, Integer>>get(treeOid)
                                                        .put(key, writer));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) f.get();
            } finally {
                pool.shutdownNow();
            }
            try (Connection c = db.open()) {
                c.transactionManager().begin();
                assertThat(c.<Counter>get(counterOid).get()).isEqualTo(WRITERS * TXNS);
                BTreeMap<Long, Integer> tree = c.get(treeOid);
                tree.checkInvariants();
                assertThat(tree.size()).isEqualTo(WRITERS * TXNS);
                assertThat(tree.firstKey()).isEqualTo(0L);
                assertThat(tree.lastKey()).isEqualTo((long) WRITERS * TXNS - 1);
                c.transactionManager().abort();
            }
        }
    }
}
