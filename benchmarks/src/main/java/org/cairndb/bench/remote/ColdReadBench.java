package org.cairndb.bench.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cairndb.bench.objects.ShootoutObject;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.TransactionManager;
import org.cairndb.client.btree.BTreeMap;
import org.cairndb.remote.RemoteStorage;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn bench cold-read}: what a truly cold read of objects over {@code cairn://} costs
 * per object, against the round trip of one raw load measured in the same run.
 *
 * <p>Workload: a server over {@code --storage} (default mem:) in another JVM (or this one with
 * {@code --in-process}); one client {@link Database} over {@code cairn://...?cache-mb=0} (no
 * record cache: every load goes to the server). {@code --objects} {@link ShootoutObject}s are
 * written once into a BTreeMap. Then {@code --rounds} rounds (after {@code --warmup} rounds
 * that are not counted), each of which measures, interleaved:
 * <ul>
 * <li><b>rtt</b>: {@code --objects} raw {@link RemoteStorage#load} calls of one object on a
 *     second client (cache off); the round's median is its round trip;</li>
 * <li><b>view</b>: a new view of that second client loads every record (wire and server, no
 *     object layer);</li>
 * <li><b>cold</b>: a new connection (empty object cache) gets every object by oid and reads
 *     it: one load per object, one after the other;</li>
 * <li><b>object layer</b>: the same cold read over a {@code temp:} database in this JVM (no
 *     network): what the object layer costs per object;</li>
 * <li><b>prefetch</b>: a new connection calls {@code conn.prefetch(oids)} first, then reads
 *     every object;</li>
 * <li><b>range</b>: a new connection iterates the BTreeMap's values in key order and reads
 *     each, after {@code conn.prefetch(map.values())} (the walk prefetches the buckets ahead,
 *     that call the objects, many per round trip).</li>
 * </ul>
 * Per-object costs are the phase's wall time divided by the objects; the reported values are
 * medians over the rounds, and ratio = cold per object / rtt.
 *
 * <p>Prints {@code RESULT name=cold-read per_object_us=... rtt_us=... ratio=...
 * prefetch_per_object_us=... range_per_object_us=... range_round_trips=... view_load_us=...}.
 */
@Command(
        name = "cold-read",
        mixinStandardHelpOptions = true,
        description =
                "Per-object cost of a cold read over cairn:// (cache off) against the load round trip; with prefetch.")
public final class ColdReadBench implements Callable<Integer> {
    @Option(
            names = "--storage",
            defaultValue = "mem:",
            description = "Backing storage URI the server serves (default mem:)")
    String storageUri;

    @Option(
            names = "--objects",
            defaultValue = "1000",
            description = "objects read per phase (default: ${DEFAULT-VALUE})")
    int objects;

    @Option(names = "--rounds", defaultValue = "15", description = "measured rounds (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(
            names = "--warmup",
            defaultValue = "30",
            description = "rounds before measuring, for the JIT (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--in-process", description = "run the server in this JVM instead of a child process")
    boolean inProcess;

    @Option(names = "--no-prefetch", description = "skip the prefetch and range phases (measure plain cold reads only)")
    boolean noPrefetch;

    @Override
    public Integer call() throws Exception {
        System.out.println("cold-read: server over " + storageUri + (inProcess ? " in this JVM" : " in a child JVM")
                + ", " + objects
                + " objects, " + rounds + " rounds after " + warmup + " warm-up; java "
                + System.getProperty("java.version") + ", "
                + Runtime.getRuntime().availableProcessors() + " cpus");
        Process child = null;
        CairnServer server = null;
        try {
            int port;
            if (inProcess) {
                server = CairnServer.start(
                        new ServerConfig().host("127.0.0.1").port(0).storage("main", storageUri));
                port = server.port();
            } else {
                port = freePort();
                child = startServer(port, storageUri);
            }
            String uri = "cairn://127.0.0.1:" + port + "/main?cache-mb=0";
            try (Database local = Database.builder()
                            .mount("main", "temp:")
                            .cacheSize(Math.max(Database.DEFAULT_CACHE_OBJECTS, objects * 3), Long.MAX_VALUE / 4)
                            .open();
                    Database db = Database.builder()
                            .mount("main", uri)
                            .cacheSize(Math.max(Database.DEFAULT_CACHE_OBJECTS, objects * 3), Long.MAX_VALUE / 4)
                            .open();
                    RemoteStorage raw = RemoteStorage.open(uri)) {
                long[] oids = populate(db);
                long[] localOids = populate(local);
                double[] layer = new double[rounds];
                RemoteStorage client = (RemoteStorage) db.storage("main");
                double[] rtt = new double[rounds];
                double[] cold = new double[rounds];
                double[] pre = new double[rounds];
                double[] range = new double[rounds];
                double[] viewRaw = new double[rounds];
                double[] viewCpu = new double[rounds];
                double[] rttMean = new double[rounds];
                double[] coldCpu = new double[rounds];
                long rangeTrips = 0;
                for (int r = -warmup; r < rounds; r++) {
                    double rt = rtt(raw, oids[0]);
                    double rtMean = lastRttMean;
                    double v = perObject(() -> viewLoads(raw, oids));
                    double vCpu = lastCpu;
                    double c = perObject(() -> coldRead(db, oids, false));
                    double cCpu = lastCpu;
                    double o = perObject(() -> coldRead(local, localOids, false));
                    double p = noPrefetch ? 0 : perObject(() -> coldRead(db, oids, true));
                    long trips0 = client.roundTrips();
                    double g = noPrefetch ? 0 : perObject(() -> rangeRead(db));
                    long trips = client.roundTrips() - trips0;
                    if (r < 0) continue;
                    rtt[r] = rt;
                    rttMean[r] = rtMean;
                    viewRaw[r] = v;
                    cold[r] = c;
                    pre[r] = p;
                    range[r] = g;
                    rangeTrips = trips;
                    viewCpu[r] = vCpu;
                    layer[r] = o;
                    coldCpu[r] = cCpu;
                    System.out.printf(
                            Locale.ROOT,
                            "round %d: rtt %.1f us, raw view loads %.1f us/object (cpu %.0f), cold %.1f us/object (cpu %.0f),"
                                    + " prefetch %.1f us/object, range %.1f us/object (%d round trips)%n",
                            r + 1,
                            rt,
                            v,
                            vCpu,
                            c,
                            cCpu,
                            p,
                            g,
                            trips);
                }
                double rttM = median(rtt);
                double coldM = median(cold);
                System.out.printf(
                        Locale.ROOT,
                        "rtt as a mean of the same loads (measured as the per-object figures are): %.1f us; cold / that: %.2f%n",
                        median(rttMean),
                        median(cold) / median(rttMean));
                System.out.printf(
                        Locale.ROOT,
                        "object layer alone (the same cold read over temp: in this JVM): %.1f us/object%n",
                        median(layer));
                System.out.printf(
                        Locale.ROOT,
                        "medians: raw view loads %.1f us/object, cpu (mean) %.1f us/object; cold %.1f us/object, cpu (mean) %.1f us/object"
                                + " (cpu of this JVM: the client's, or client and server with --in-process)%n",
                        median(viewRaw),
                        mean(viewCpu),
                        median(cold),
                        mean(coldCpu));
                System.out.printf(
                        Locale.ROOT,
                        "RESULT name=cold-read objects=%d per_object_us=%.1f rtt_us=%.1f ratio=%.2f prefetch_per_object_us=%.1f"
                                + " range_per_object_us=%.1f range_round_trips=%d view_load_us=%.1f%n",
                        objects,
                        coldM,
                        rttM,
                        coldM / rttM,
                        median(pre),
                        median(range),
                        rangeTrips,
                        median(viewRaw));
            }
        } finally {
            if (server != null) server.close();
            if (child != null) {
                child.destroy();
                child.waitFor();
            }
        }
        return 0;
    }

    private long[] populate(Database db) {
        TransactionManager tm = db.transactionManager();
        try (Connection conn = db.open()) {
            BTreeMap<Long, ShootoutObject> map = new BTreeMap<>();
            List<ShootoutObject> all = new ArrayList<>();
            for (long i = 0; i < objects; i++) {
                ShootoutObject o = new ShootoutObject(i);
                all.add(o);
                map.put(i, o);
            }
            conn.root().put("cold-read", map);
            tm.commit();
            return all.stream().mapToLong(o -> o.oid()).toArray();
        }
    }

    /** Reads every object through a new connection (empty object cache), by oid; returns a checksum. */
    private static long coldRead(Database db, long[] oids, boolean prefetch) {
        long sum = 0;
        try (Connection conn = db.open()) {
            if (prefetch) conn.prefetch(oids);
            for (long oid : oids) sum += conn.get(oid, ShootoutObject.class).value();
            db.transactionManager().abort();
        }
        return sum;
    }

    /** Reads every object through a new connection, in key order through the tree. */
    @SuppressWarnings("unchecked")
    private static long rangeRead(Database db) {
        long sum = 0;
        try (Connection conn = db.open()) {
            BTreeMap<Long, ShootoutObject> map =
                    (BTreeMap<Long, ShootoutObject>) conn.root().get("cold-read");
            conn.prefetch(map.values()); // the walk prefetches the buckets, this the objects in them
            for (Map.Entry<Long, ShootoutObject> e : map.entrySet())
                sum += e.getValue().value();
            db.transactionManager().abort();
        }
        return sum;
    }

    /** This JVM's CPU time (the client's only, with the server in a child JVM). */
    private static final com.sun.management.OperatingSystemMXBean OS = (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    /** The mean of the last rtt phase's loads, in microseconds: measured as the per-object figures are. */
    private double lastRttMean;
    /** CPU microseconds per object of the last phase measured. */
    private double lastCpu;

    private double perObject(java.util.function.LongSupplier phase) {
        long c0 = OS.getProcessCpuTime();
        long t0 = System.nanoTime();
        long check = phase.getAsLong();
        long dt = System.nanoTime() - t0;
        lastCpu = (OS.getProcessCpuTime() - c0) / 1e3 / objects;
        if (check < 0) throw new IllegalStateException("negative checksum");
        return dt / 1e3 / objects;
    }

    /** Loads every record through a new view of the raw storage (no object layer): the wire and the server's view. */
    private static long viewLoads(RemoteStorage s, long[] oids) {
        long sum = 0;
        try (org.cairndb.storage.StorageView v = s.openView()) {
            for (long oid : oids) sum += v.load(oid).data().length;
        }
        return sum;
    }

    /** The median of {@code objects} raw loads of one object, in microseconds. */
    private double rtt(RemoteStorage s, long oid) {
        long[] ns = new long[objects];
        for (int i = 0; i < objects; i++) {
            long t0 = System.nanoTime();
            s.load(oid);
            ns[i] = System.nanoTime() - t0;
        }
        long sum = 0;
        for (long n : ns) sum += n;
        lastRttMean = sum / 1e3 / objects;
        Arrays.sort(ns);
        return ns[objects / 2] / 1e3;
    }

    /** The mean (CPU times come in clock ticks of several ms: a phase's own is too coarse, their mean is not). */
    private static double mean(double[] xs) {
        double sum = 0;
        for (double x : xs) sum += x;
        return xs.length == 0 ? 0 : sum / xs.length;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length == 0 ? 0 : s[s.length / 2];
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A server JVM serving {@code uri} as 'main' on {@code port}; returns once it is ready. */
    private static Process startServer(int port, String uri) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-XX:StartFlightRecording") && !a.startsWith("-agentlib"))
                .toList());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(FaultsBench.ServerProcess.class.getName());
        cmd.add(String.valueOf(port));
        cmd.add(uri);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("READY")) {
                Thread drain = new Thread(
                        () -> {
                            try {
                                while (in.readLine() != null) {
                                    // discard the child's log
                                }
                            } catch (IOException ended) {
                                // stopped
                            }
                        },
                        "cold-read-server-output");
                drain.setDaemon(true);
                drain.start();
                return p;
            }
            seen.append(line).append('\n');
        }
        throw new IllegalStateException("the server process ended before it was ready:\n" + seen);
    }
}
