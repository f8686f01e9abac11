package org.cairndb.bench.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.cairndb.storage.Capability;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.uri.Storages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn bench storage --uri URI [--seconds N] [--threads T] [--objects K]}: the storage
 * SPI's speed on any storage URI, with no object layer in between.
 *
 * <h2>Workload</h2>
 * K objects of about 100 bytes are committed first (100 per transaction). Then three phases,
 * each with T threads, a warm-up of a third of the time and a measured N seconds:
 * <ol>
 * <li>load: random {@code load(oid)} of the K objects;</li>
 * <li>commit: each thread commits small transactions (two stores of its own objects, so
 *     they never conflict): begin, store, store, vote, finish. The latency of each whole
 *     commit is recorded; p50/p99 are of this phase;</li>
 * <li>hot: every thread increments ONE counter object: open a view, load, store +1, vote,
 *     finish; a conflict is counted and the increment retried. On a storage with conflict
 *     resolution the counter's resolver (registered by this module) merges concurrent
 *     increments; on one without, conflicts are reported in {@code hot_conflicts}. The final
 *     value is checked against the number of increments.</li>
 * </ol>
 * Last line: {@code RESULT name=storage uri=... load_ops_per_s=... commit_ops_per_s=...
 * hot_commit_ops_per_s=... p50_us=... p99_us=... hot_conflicts=... threads=...}.
 */
@Command(
        name = "storage",
        mixinStandardHelpOptions = true,
        description =
                "Measures load, small commits and a hot counter on a storage URI; last line RESULT name=storage ...")
public final class StorageBench implements Callable<Integer> {
    private static final String OBJECT_CLASS = "org.cairndb.bench.storage.Obj";

    @Option(names = "--uri", required = true, description = "storage URI, e.g. mem:, temp:, mem:/tmp/x.cairn")
    String uri;

    @Option(
            names = "--seconds",
            defaultValue = "5",
            description = "measured seconds per phase (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--threads", defaultValue = "4", description = "threads per phase (default ${DEFAULT-VALUE})")
    int threads;

    @Option(
            names = "--objects",
            defaultValue = "10000",
            description = "objects loaded and written (default ${DEFAULT-VALUE})")
    int objects;

    @Override
    public Integer call() throws Exception {
        if (seconds < 1 || threads < 1 || objects < threads * 2) {
            System.err.println("storage bench: need --seconds >= 1, --threads >= 1 and --objects >= 2 x threads (got "
                    + seconds + ", " + threads + ", " + objects + ")");
            return 2;
        }
        try (Storage s = Storages.open(uri)) {
            long[] oids = populate(s);
            System.out.printf("storage %s: %d objects, capabilities %s%n", s.name(), oids.length, s.capabilities());
            double loads = phase("load", () -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                return measured -> s.load(oids[r.nextInt(oids.length)]);
            });
            List<Latencies> lat = new ArrayList<>();
            int[] next = {0};
            double commits = phase("commit", () -> {
                int me;
                synchronized (next) {
                    me = next[0]++;
                }
                int per = oids.length / threads;
                long[] mine = new long[per];
                System.arraycopy(oids, me * per, mine, 0, per);
                long[] tids = new long[per];
                for (int i = 0; i < per; i++) tids[i] = s.load(mine[i]).tid();
                Latencies l = new Latencies();
                synchronized (lat) {
                    lat.add(l);
                }
                int[] k = {0};
                return measured -> {
                    int a = k[0]++ % per;
                    int b = k[0]++ % per;
                    long start = System.nanoTime();
                    StorageTransaction t = s.begin(TransactionMetadata.of("bench", "commit"));
                    t.store(mine[a], tids[a], object(a));
                    if (b != a) t.store(mine[b], tids[b], object(b));
                    t.vote();
                    long tid = t.finish();
                    if (measured) l.add(System.nanoTime() - start);
                    tids[a] = tid;
                    tids[b] = tid;
                };
            });
            long[] sorted = Latencies.merged(lat);
            LongAdder conflicts = new LongAdder();
            LongAdder increments = new LongAdder();
            long counter = s.newOids(1)[0];
            commit(s, counter, Tid.ZERO, BenchCounter.record(0));
            double hot = phase("hot", () -> measured -> {
                while (true) {
                    try (StorageView v = s.openView()) {
                        Loaded l = v.load(counter);
                        StorageTransaction t = s.begin(TransactionMetadata.of("bench", "hot"));
                        t.store(counter, l.tid(), BenchCounter.record(BenchCounter.value(l.data()) + 1));
                        try {
                            t.vote();
                            t.finish();
                            increments.increment();
                            return;
                        } catch (ConflictException c) {
                            conflicts.increment();
                        }
                    }
                }
            });
            long value = BenchCounter.value(s.load(counter).data());
            if (value != increments.sum()) {
                System.err.printf(
                        "storage bench: counter is %d after %d increments: LOST UPDATES%n", value, increments.sum());
                return 1;
            }
            System.out.printf(
                    "hot counter: %d increments, %d conflicts (%s)%n",
                    value,
                    conflicts.sum(),
                    s.supports(Capability.CONFLICT_RESOLUTION)
                            ? "resolved by the storage where possible"
                            : "storage does not resolve");
            System.out.println(String.format(
                    Locale.ROOT,
                    "RESULT name=storage uri=%s load_ops_per_s=%.0f commit_ops_per_s=%.0f hot_commit_ops_per_s=%.0f p50_us=%.1f p99_us=%.1f hot_conflicts=%d threads=%d",
                    uri,
                    loads,
                    commits,
                    hot,
                    Latencies.percentileMicros(sorted, 0.50),
                    Latencies.percentileMicros(sorted, 0.99),
                    conflicts.sum(),
                    threads));
            return 0;
        }
    }

    /** One operation of a worker; {@code measured} is false during warm-up. */
    interface Op {
        void run(boolean measured);
    }

    /** Makes one worker's operation (on the worker's thread); it runs in a loop until the phase ends. */
    interface Worker {
        Op make() throws Exception;
    }

    /** Warm-up (a third of the time, at least one second), then the measured run; returns ops/s of the measured run. */
    private double phase(String name, Worker worker) throws Exception {
        long warmNanos = Math.max(1_000_000_000L, seconds * 1_000_000_000L / 3);
        long measureNanos = seconds * 1_000_000_000L;
        LongAdder ops = new LongAdder();
        CyclicBarrier ready = new CyclicBarrier(threads + 1);
        CyclicBarrier measuring = new CyclicBarrier(threads + 1);
        CyclicBarrier done = new CyclicBarrier(threads + 1);
        List<Thread> ts = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(
                    () -> {
                        try {
                            Op op = worker.make();
                            ready.await();
                            long warmEnd = System.nanoTime() + warmNanos;
                            while (System.nanoTime() < warmEnd) op.run(false);
                            measuring.await();
                            long end = System.nanoTime() + measureNanos;
                            long n = 0;
                            while (System.nanoTime() < end) {
                                op.run(true);
                                n++;
                            }
                            ops.add(n);
                            done.await();
                        } catch (Throwable e) {
                            synchronized (failure) {
                                if (failure[0] == null) failure[0] = e;
                            }
                            ready.reset();
                            measuring.reset();
                            done.reset();
                        }
                    },
                    "bench-" + name + "-" + i);
            ts.add(t);
            t.start();
        }
        try {
            ready.await();
            measuring.await(); // every worker finished its warm-up
        } catch (Exception e) {
            joinAll(ts);
            throw failureOr(failure, e);
        }
        long start = System.nanoTime();
        done.await();
        long elapsed = System.nanoTime() - start;
        joinAll(ts);
        if (failure[0] != null) throw failureOr(failure, null);
        double perSecond = ops.sum() * 1e9 / elapsed;
        System.out.printf(Locale.ROOT, "%-7s %12.0f ops/s (%d threads, %d s)%n", name, perSecond, threads, seconds);
        return perSecond;
    }

    private static Exception failureOr(Throwable[] failure, Exception fallback) {
        Throwable f = failure[0];
        if (f instanceof Exception e) return e;
        if (f != null) return new RuntimeException(f);
        return fallback;
    }

    private static void joinAll(List<Thread> ts) throws InterruptedException {
        for (Thread t : ts) t.join();
    }

    private long[] populate(Storage s) {
        long[] oids = s.newOids(objects);
        for (int from = 0; from < oids.length; from += 100) {
            StorageTransaction t = s.begin(TransactionMetadata.of("bench", "populate"));
            for (int i = from; i < Math.min(oids.length, from + 100); i++) t.store(oids[i], Tid.ZERO, object(i));
            t.vote();
            t.finish();
        }
        return oids;
    }

    private static byte[] object(int i) {
        byte[] body = new byte[64];
        ThreadLocalRandom.current().nextBytes(body);
        return new RecordHeader(OBJECT_CLASS, new long[] {i}).encode(body);
    }

    private static void commit(Storage s, long oid, long readTid, byte[] data) {
        StorageTransaction t = s.begin(TransactionMetadata.of("bench", "setup"));
        t.store(oid, readTid, data);
        t.vote();
        t.finish();
    }
}
