package org.cairndb.bench.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cairndb.bench.objects.BenchTarget;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.uri.Storages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn bench commit-latency [--dir D] [--serve] [--commits N]}: what one durable
 * one-object commit on a persisted {@code mem:} costs, against the floor the disk sets,
 * measured in the same run.
 *
 * <h2>Phases (storage SPI, no object layer)</h2>
 * Both phases are repeated {@code --rounds} times back to back (a shared disk's speed drifts
 * within minutes); writers_1 and writers_4 are the medians of the rounds, p50/p99 and the
 * floor are of all their samples.
 * <ol>
 * <li>one writer: N commits of one ~100-byte object (begin, store, vote, finish), each timed
 *     (p50/p99; commits/s from their summed time), each preceded by the floor: a write of the
 *     bytes of one commit's journal slot at offset 0 of a file in the same directory and
 *     {@code force(false)} (fdatasync), timed too; so floor and commit see the same disk;</li>
 * <li>four writers, each on its own object, N commits each: commits/s (group commit lets them
 *     share forces);</li>
 * <li>one writer on {@code mem:} in memory (no file, no force), the same way: its p50
 *     ({@code mem_p50_us}) is the commit without durability, so {@code p50_us - mem_p50_us}
 *     is what durability costs a commit, to compare with {@code floor_us}.</li>
 * </ol>
 * Each phase is preceded by a warm-up of a fifth of N. With {@code --serve} the storage is
 * served by a Cairn server in this JVM and the commits go through {@code cairn://}.
 * Last line: {@code RESULT name=commit-latency uri=... p50_us= p99_us= floor_us= ratio=
 * writers_1= writers_4= scale= mem_p50_us=} (ratio = p50 / floor; scale = writers_4 / writers_1).
 */
@Command(
        name = "commit-latency",
        mixinStandardHelpOptions = true,
        description =
                "Durable one-object commit p50/p99 on mem:/file vs a raw write+fdatasync floor, and 1 vs 4 writers")
public final class CommitLatencyBench implements Callable<Integer> {
    private static final int WRITERS = 4;
    /** Bytes of a journal slot holding one ~100-byte record (header, entry, record, CRC). */
    private static final int SLOT_BYTES = 52 + 13 + 180;

    @Option(
            names = "--dir",
            description = "directory of the storage file and the floor's file (default: a new temporary directory)")
    Path dir;

    @Option(
            names = "--serve",
            description = "serve the storage by a Cairn server in this JVM and commit through cairn://")
    boolean serve;

    @Option(
            names = "--commits",
            defaultValue = "1000",
            description = "commits per phase and writer (default ${DEFAULT-VALUE})")
    int commits;

    @Option(
            names = "--rounds",
            defaultValue = "3",
            description = "rounds of floor, 1 writer, 4 writers; figures are medians (default ${DEFAULT-VALUE})")
    int rounds;

    @Override
    public Integer call() throws Exception {
        if (commits < 10 || rounds < 1) {
            System.err.println("commit-latency bench: need --commits >= 10 and --rounds >= 1 (got " + commits + ", "
                    + rounds + ")");
            return 2;
        }
        Path where = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("cairn-commit-latency");
        Path file = where.resolve("commit-latency-" + System.nanoTime() + ".cairn");
        Path floorFile = where.resolve("commit-latency-floor-" + System.nanoTime());
        try {
            // the disk's speed drifts (a shared disk): each round measures floor, 1 writer and
            // 4 writers back to back, and the figures are medians over the rounds
            List<Latencies> floors = new ArrayList<>();
            List<Latencies> ones = new ArrayList<>();
            double[] perSecond1 = new double[rounds];
            double[] perSecond4 = new double[rounds];
            String label;
            try (BenchTarget target = BenchTarget.open("mem:" + file, serve);
                    Storage s = Storages.open(target.uri())) {
                label = target.label();
                long[] oids = s.newOids(WRITERS);
                for (int r = 0; r < rounds; r++) {
                    Latencies floorSamples = new Latencies();
                    floors.add(floorSamples);
                    Result one;
                    try (FileChannel c =
                            FileChannel.open(floorFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                        one = writers(s, oids, 1, c, floorSamples);
                    }
                    ones.add(one.latencies);
                    perSecond1[r] = one.perSecond;
                    perSecond4[r] = writers(s, oids, WRITERS, null, null).perSecond;
                    System.out.printf(
                            Locale.ROOT,
                            "round %d: floor p50 %.0f us, one writer p50 %.0f us, writers_1 %.0f/s, writers_4 %.0f/s%n",
                            r + 1,
                            Latencies.percentileMicros(Latencies.merged(List.of(floors.get(r))), 0.5),
                            Latencies.percentileMicros(Latencies.merged(List.of(one.latencies)), 0.5),
                            perSecond1[r],
                            perSecond4[r]);
                }
            }
            double memP50;
            try (BenchTarget target = BenchTarget.open("mem:", serve);
                    Storage s = Storages.open(target.uri())) {
                memP50 = Latencies.percentileMicros(
                        Latencies.merged(List.of(writers(s, s.newOids(1), 1, null, null).latencies)), 0.5);
            }
            double floorUs = Latencies.percentileMicros(Latencies.merged(floors), 0.5);
            long[] oneSorted = Latencies.merged(ones);
            double p50 = Latencies.percentileMicros(oneSorted, 0.5);
            double p99 = Latencies.percentileMicros(oneSorted, 0.99);
            double w1 = median(perSecond1);
            double w4 = median(perSecond4);
            System.out.printf(
                    Locale.ROOT,
                    "RESULT name=commit-latency uri=%s p50_us=%.0f p99_us=%.0f floor_us=%.0f ratio=%.2f writers_1=%.0f writers_4=%.0f scale=%.2f mem_p50_us=%.0f%n",
                    label,
                    p50,
                    p99,
                    floorUs,
                    p50 / floorUs,
                    w1,
                    w4,
                    w4 / w1,
                    memP50);
            return 0;
        } finally {
            Files.deleteIfExists(floorFile);
            if (dir == null) deleteTree(where);
        }
    }

    private record Result(Latencies latencies, double perSecond) {}

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** {@code n} writers, each committing {@code commits} times to its own object after a warm-up. */
    private Result writers(Storage s, long[] oids, int n, FileChannel floor, Latencies floorSamples) throws Exception {
        for (long oid : oids) seed(s, oid);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CyclicBarrier warm = new CyclicBarrier(n + 1);
            CyclicBarrier go = new CyclicBarrier(n + 1);
            List<Latencies> lat = new ArrayList<>();
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < n; w++) {
                long oid = oids[w];
                Latencies mine = new Latencies();
                lat.add(mine);
                done.add(pool.submit(() -> {
                    long readTid = s.loadBefore(oid, Tid.MAX).tid();
                    warm.await();
                    for (int i = 0; i < commits / 5; i++) readTid = commit(s, oid, readTid, i);
                    go.await();
                    for (int i = 0; i < commits; i++) {
                        if (floor != null) floorSamples.add(floorOnce(floor, i));
                        long t0 = System.nanoTime();
                        readTid = commit(s, oid, readTid, i);
                        mine.add(System.nanoTime() - t0);
                    }
                    return null;
                }));
            }
            warm.await();
            go.await();
            long t0 = System.nanoTime();
            for (Future<?> f : done) f.get();
            double secs = (System.nanoTime() - t0) / 1e9;
            Latencies all = new Latencies();
            for (Latencies l : lat) all.addAll(l);
            // with the floor interleaved, one writer's rate counts its commits' time only
            return new Result(all, floor != null ? commits / (all.sum() / 1e9) : (double) n * commits / secs);
        } finally {
            pool.shutdown();
        }
    }

    /** Writes the object once if it has no revision yet, so every writer starts from a stored one. */
    private static void seed(Storage s, long oid) {
        try {
            s.loadBefore(oid, Tid.MAX);
        } catch (org.cairndb.storage.PosKeyException none) {
            commit(s, oid, Tid.ZERO, 0);
        }
    }

    private static long commit(Storage s, long oid, long readTid, long value) {
        StorageTransaction t = s.begin(TransactionMetadata.of("bench", "commit-latency"));
        t.store(oid, readTid, record(oid, value));
        t.vote();
        return t.finish();
    }

    private static byte[] record(long oid, long value) {
        byte[] body = new byte[100];
        ByteBuffer.wrap(body).putLong(value);
        return new RecordHeader("org.cairndb.bench.storage.Obj", new long[] {oid}).encode(body);
    }

    /** One raw write of a slot's bytes at offset 0 and fdatasync; its nanoseconds. */
    private static long floorOnce(FileChannel c, int i) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(new byte[SLOT_BYTES]);
        b.putLong(0, i);
        long t0 = System.nanoTime();
        long pos = 0;
        while (b.hasRemaining()) pos += c.write(b, pos);
        c.force(false);
        return System.nanoTime() - t0;
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
