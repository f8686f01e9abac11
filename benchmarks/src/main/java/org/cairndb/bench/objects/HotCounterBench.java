package org.cairndb.bench.objects;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.TransactionManager;
import org.cairndb.client.collections.Counter;
import org.cairndb.client.collections.ShardedCounter;
import org.cairndb.storage.RetryableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The hot-counter story: T threads, each with its own connection, commit increments of one
 * {@link Counter} through {@code TransactionManager.run(attempts, ...)}, one increment per
 * transaction. On storages that resolve conflicts the increments merge in the storage; on
 * storages that only detect them, run retries at once. {@code app_conflicts} counts the
 * increments that failed even after every attempt (they reached the application);
 * {@code final} must equal {@code expected}. With {@code --sharded true} the counter is a
 * {@link ShardedCounter} (each thread increments its own shard record) instead of one
 * {@link Counter}; the RESULT line says which ({@code sharded=}).
 *
 * <pre>cairn bench hot-counter --uri temp: --threads 8
 * cairn bench hot-counter --uri 'postgres://embedded/postgres?history=free' --serve
 * cairn bench hot-counter --uri 'postgres://embedded/postgres?history=free' --sharded true</pre>
 */
@Command(
        name = "hot-counter",
        mixinStandardHelpOptions = true,
        description = "T threads increment one Counter; commits/s and conflicts that reach the app")
public final class HotCounterBench implements Callable<Integer> {
    @Mixin
    TargetOptions target;

    @Option(names = "--threads", defaultValue = "4", description = "writer threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(
            names = "--commits",
            defaultValue = "1000",
            description = "increments per thread (default: ${DEFAULT-VALUE})")
    int commits;

    @Option(
            names = "--sharded",
            arity = "1",
            defaultValue = "false",
            description =
                    "true: a ShardedCounter (one shard per thread); false: one Counter (default: ${DEFAULT-VALUE})")
    boolean sharded;

    @Option(
            names = "--attempts",
            defaultValue = "100",
            description = "attempts per increment in run(...) (default: ${DEFAULT-VALUE})")
    int attempts;

    public HotCounterBench() {}

    @Override
    public Integer call() throws Exception {
        try (BenchTarget storage = this.target.open();
                Database db = Database.open(storage.uri())) {
            String label = storage.label();
            TransactionManager tm = db.transactionManager();
            String key = "hot-counter-" + System.nanoTime();
            try (Connection conn = db.open()) {
                conn.root().put(key, sharded ? new ShardedCounter() : new Counter());
                tm.commit();
            }
            AtomicLong appConflicts = new AtomicLong();
            long retriesBefore = tm.retryCount();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CyclicBarrier go = new CyclicBarrier(threads + 1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    try (Connection conn = db.open()) {
                        Object c = conn.root().get(key);
                        TransactionManager.VoidWork increment =
                                c instanceof ShardedCounter sc ? sc::increment : ((Counter) c)::increment;
                        tm.abort();
                        go.await();
                        for (int i = 0; i < commits; i++) {
                            try {
                                tm.run(attempts, increment);
                            } catch (RetryableException gaveUp) {
                                appConflicts.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            go.await();
            long t0 = System.nanoTime();
            for (Future<?> f : futures) f.get();
            double secs = (System.nanoTime() - t0) / 1e9;
            pool.shutdown();
            long retries = tm.retryCount() - retriesBefore;
            long finalValue;
            try (Connection conn = db.open()) {
                Object c = conn.root().get(key);
                finalValue = c instanceof ShardedCounter sc ? sc.get() : ((Counter) c).get();
                conn.root().remove(key);
                tm.commit();
            }
            long expected = (long) threads * commits - appConflicts.get();
            long done = (long) threads * commits - appConflicts.get();
            System.out.printf(
                    Locale.ROOT,
                    "hot-counter on %s: %d threads x %d increments in %.2f s, %d retried conflicts, %d gave up%n",
                    label,
                    threads,
                    commits,
                    secs,
                    retries,
                    appConflicts.get());
            System.out.printf(
                    Locale.ROOT,
                    "RESULT name=hot-counter uri=%s sharded=%s threads=%d commits_per_s=%.0f app_conflicts=%d final=%d expected=%d retries=%d%n",
                    label,
                    sharded,
                    threads,
                    done / secs,
                    appConflicts.get(),
                    finalValue,
                    expected,
                    retries);
            return finalValue == expected ? 0 : 1;
        }
    }
}
