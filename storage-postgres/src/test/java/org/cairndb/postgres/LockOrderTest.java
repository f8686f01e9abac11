package org.cairndb.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.cairndb.postgres.testing.TestPostgres;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.conformance.Records;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.Test;

/**
 * Writers that create the same new oids, mixed with existing ones, in different orders, at
 * the same moment: conflicts are allowed (the first creator wins), a PostgreSQL deadlock
 * (40P01) is not. Each round gives four threads, each with its own storage (its own
 * connections, as separate processes would have), random overlapping subsets of fresh oids
 * and of oids created in earlier rounds, stored in shuffled order, and releases them
 * together into vote.
 */
class LockOrderTest {
    private static final int THREADS = 4;
    private static final int ROUNDS = 120;

    @Test
    void vote_overlappingNewOidsInAnyOrder_neverDeadlocksHistoryFree() throws Exception {
        run("free");
    }

    @Test
    void vote_overlappingNewOidsInAnyOrder_neverDeadlocksHistoryPreserving() throws Exception {
        run("preserving");
    }

    private void run(String history) throws Exception {
        TestPostgres pg = TestPostgres.get();
        String uri = pg.uri(pg.newDatabase("lockorder"), "history=" + history + "&pool=3");
        List<Storage> storages = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int i = 0; i < THREADS; i++) storages.add(Storages.open(uri));
            Map<Long, Long> known = new ConcurrentHashMap<>(); // oid -> last tid seen committed
            List<Long> old = new ArrayList<>();
            AtomicInteger commits = new AtomicInteger();
            AtomicInteger conflicts = new AtomicInteger();
            List<String> deadlocks = Collections.synchronizedList(new ArrayList<>());
            SplittableRandom rnd = new SplittableRandom(42);
            for (int round = 0; round < ROUNDS; round++) {
                long[] fresh = storages.get(0).newOids(4);
                List<Long> candidates = new ArrayList<>();
                for (long o : fresh) candidates.add(o);
                for (int k = 0; k < 2 && !old.isEmpty(); k++) candidates.add(old.get(rnd.nextInt(old.size())));
                CyclicBarrier together = new CyclicBarrier(THREADS);
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < THREADS; w++) {
                    List<Long> mine = new ArrayList<>(candidates);
                    Collections.shuffle(mine, new java.util.Random(rnd.nextLong()));
                    List<Long> subset = List.copyOf(mine.subList(0, 2 + rnd.nextInt(mine.size() - 1)));
                    Storage s = storages.get(w);
                    done.add(pool.submit(() -> {
                        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
                        for (long o : subset) t.store(o, known.getOrDefault(o, Tid.ZERO), Records.object("v"));
                        together.await();
                        try {
                            t.vote();
                            long tid = t.finish();
                            for (long o : subset) known.put(o, tid);
                            commits.incrementAndGet();
                        } catch (ConflictException e) {
                            conflicts.incrementAndGet(); // another writer created or changed one first: allowed
                            t.abort();
                        } catch (RetryableException e) {
                            t.abort();
                            if (!isDeadlock(e)) throw e;
                            deadlocks.add("oids " + subset + ": " + e.getMessage());
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) f.get();
                for (long o : fresh) if (known.containsKey(o)) old.add(o);
            }
            assertThat(deadlocks)
                    .as("PostgreSQL deadlocks (40P01) between writers")
                    .isEmpty();
            assertThat(commits.get()).as("commits").isGreaterThanOrEqualTo(ROUNDS);
            assertThat(conflicts.get()).as("conflicts (the rounds did contend)").isPositive();
        } finally {
            pool.shutdownNow();
            for (Storage s : storages) s.close();
        }
    }

    private static boolean isDeadlock(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "40P01".equals(s.getSQLState())) return true;
        }
        return false;
    }
}
