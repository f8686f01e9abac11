package org.cairndb.bench.remote;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.RetriesExhaustedException;
import org.cairndb.client.collections.Counter;
import org.cairndb.protocol.Op;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.cairndb.storage.CommitOutcomeUnknownException;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.testing.FaultProxy;
import org.cairndb.storage.testing.FaultProxy.Fault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn bench faults}: the counter workload over cairn:// and direct postgres:// while
 * faults are injected, and whether any commit was lost or applied twice.
 *
 * <p>Workload: a server on loopback over {@code --storage} (default a mem: file in a temporary
 * directory), reached through a {@link FaultProxy}; one writer adds 1 to a counter per
 * transaction through {@code TransactionManager.run(--attempts, ...)}. Faults, {@code --faults}
 * of each kind, one kind after the other: the connection cut just before FINISH reaches the
 * server (not committed), just after the server finished but before its answer (the client
 * asks OUTCOME after reconnecting), just after the FINISH answer (committed; the sync after it
 * fails), the server restarted at a random point of the workload, and (with {@code --kills})
 * the server, moved to a child JVM, killed with SIGKILL and started again. Every outcome is
 * counted; an unknown one is resolved by reading the counter back (one writer: it is either
 * the expected value or one more).
 *
 * <p>The kind {@code pg-terminate} runs the same workload directly on {@code postgres://}
 * (an embedded PostgreSQL 15, fsync on, started for the phase; no Cairn server) while an
 * admin JDBC connection terminates every other client backend of the database
 * ({@code pg_terminate_backend}: the storage's pooled connections and its LISTEN connection)
 * {@code --faults} times, each after a few more operations plus a timer set to a random
 * fraction of an operation's measured time, so the termination lands anywhere: mid-load, mid-vote, mid-COMMIT, in the
 * sync after it. A round that found no backend to terminate (all of them already dead and
 * not yet reconnected) does not count as a fault. {@code --kinds} chooses the kinds (default
 * all: {@code cut,restart,kill,pg-terminate}); the Cairn server is started only for the first
 * three.
 *
 * <p>Over 400 lines, one job: each fault kind needs its own injection and its own way of
 * telling lost from unknown, and the kinds share one workload and one tally; split per kind,
 * the tally's rules would be spread over five classes.
 *
 * <p>Prints {@code RESULT name=faults commits=... faults=... lost=... duplicated=... unknown=...
 * stalled_ms_p99=...}: lost and duplicated compare the stored counter, read directly from the
 * server (or PostgreSQL) at the end, with the acknowledged commits (plus unknowns that read
 * back as committed), summed over both targets; faults counts every kind; stalled_ms_p99 is
 * the 99th percentile of the time of the operations during which a fault fired (from the
 * start of run(...) to its return).
 */
@Command(
        name = "faults",
        mixinStandardHelpOptions = true,
        description =
                "Counter workload over cairn:// and postgres:// with injected faults: lost and duplicated commits must be 0.")
public final class FaultsBench implements Callable<Integer> {
    @Option(
            names = "--storage",
            description = "Backing storage URI the server serves (default: a mem: file in a temporary directory)")
    String storageUri;

    @Option(names = "--faults", defaultValue = "100", description = "Faults of each kind (default: ${DEFAULT-VALUE})")
    int faults;

    @Option(
            names = "--kills",
            defaultValue = "-1",
            description = "Server processes killed with SIGKILL (default: as many as --faults; 0: none)")
    int kills;

    @Option(
            names = "--kinds",
            split = ",",
            defaultValue = "cut,restart,kill,pg-terminate",
            description =
                    "Fault kinds to inject, comma-separated, from cut, restart, kill, pg-terminate (default: ${DEFAULT-VALUE})")
    java.util.LinkedHashSet<String> kinds;

    @Option(
            names = "--attempts",
            defaultValue = "20",
            description = "attempts per increment in run(...) (default: ${DEFAULT-VALUE})")
    int attempts;

    private volatile CairnServer server;
    private ServerConfig config;
    private FaultProxy proxy;
    private Database db;
    private Connection conn;
    private long expected;
    private long acknowledged;
    private long notCommitted;
    private long unknown;
    private long unknownCommitted;
    private final List<Long> stalledNanos = new ArrayList<>();
    private final Semaphore progress = new Semaphore(0);
    private int stalledFrom;
    private final AtomicLong killed = new AtomicLong();
    private final AtomicLong terminations = new AtomicLong();
    private long backendsTerminated;
    private static final Set<String> KINDS = Set.of("cut", "restart", "kill", "pg-terminate");

    @Override
    public Integer call() throws Exception {
        for (String k : kinds) {
            if (!KINDS.contains(k)) {
                System.err.println("faults: unknown fault kind '" + k
                        + "' in --kinds; choose from cut, restart, kill, pg-terminate");
                return 2;
            }
        }
        boolean overCairn =
                kinds.contains("cut") || kinds.contains("restart") || (kinds.contains("kill") && kills != 0);
        System.out.println("faults: kinds " + String.join(",", kinds) + "; " + faults + " faults of each kind; run("
                + attempts + ", counter.add(1)); java " + System.getProperty("java.version"));
        Map<String, long[]> perKind = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        List<String> targets = new ArrayList<>();
        long lost = 0;
        long duplicated = 0;
        if (overCairn) {
            long[] r = cairnPhases(perKind);
            targets.add("cairn:// stored=" + r[0] + " expected=" + r[1]);
            lost += Math.max(0, r[1] - r[0]);
            duplicated += Math.max(0, r[0] - r[1]);
        }
        if (kinds.contains("pg-terminate")) {
            long[] r = pgTerminatePhase(perKind);
            targets.add(
                    "postgres:// stored=" + r[0] + " expected=" + r[1] + " backends_terminated=" + backendsTerminated);
            lost += Math.max(0, r[1] - r[0]);
            duplicated += Math.max(0, r[0] - r[1]);
        }
        long total = 0;
        for (Map.Entry<String, long[]> e : perKind.entrySet()) {
            total += e.getValue()[0];
            System.out.println("  " + e.getKey() + ": faults=" + e.getValue()[0] + " operations=" + e.getValue()[1]
                    + " stalled_ms_p99=" + Percentiles.fmt(e.getValue()[2] / 1000.0));
        }
        for (String t : targets) System.out.println("  " + t);
        double p99 = p99Micros(stalledNanos) / 1000.0;
        System.out.println("  acknowledged=" + acknowledged + " not_committed=" + notCommitted + " unknown=" + unknown
                + " (read back as committed: " + unknownCommitted + ") seconds="
                + Percentiles.fmt((System.nanoTime() - t0) / 1e9));
        System.out.println("RESULT name=faults commits=" + acknowledged + " faults=" + total + " lost=" + lost
                + " duplicated=" + duplicated + " unknown=" + unknown + " stalled_ms_p99=" + Percentiles.fmt(p99));
        return lost == 0 && duplicated == 0 ? 0 : 1;
    }

    /** The cairn:// kinds (cuts, restarts, kills) chosen by --kinds; returns {stored, expected} of its counter. */
    private long[] cairnPhases(Map<String, long[]> perKind) throws Exception {
        Path dir = null;
        String uri = storageUri;
        if (uri == null) {
            dir = Files.createTempDirectory("cairn-bench-faults");
            uri = "mem:" + dir.resolve("faults.cairn");
        }
        System.out.println("faults: server over " + uri + " behind a fault proxy");
        config = new ServerConfig().port(0).storage("main", uri);
        server = CairnServer.start(config);
        proxy = new FaultProxy(server.port());
        try {
            db = Database.open("cairn://127.0.0.1:" + proxy.port() + "/main?connect-timeout=60");
            conn = db.open();
            retrying(() -> db.transactionManager().run(attempts, () -> {
                if (conn.root().get("counter") == null) conn.root().put("counter", conn.add(new Counter()));
            }));
            expected = read();
            int finish = Op.FINISH.code;
            if (kinds.contains("cut")) {
                perKind.put("cut-before-finish", phase(Fault.cutBefore(finish).every(2)));
                perKind.put(
                        "cut-before-finish-answer",
                        phase(Fault.cutBeforeAnswer(finish).every(2)));
                perKind.put(
                        "cut-after-finish-answer",
                        phase(Fault.cutAfterAnswer(finish).every(2)));
            }
            if (kinds.contains("restart")) perKind.put("server-restart", restarts());
            if (kinds.contains("kill") && kills != 0)
                perKind.put("server-kill-9", killPhase(uri, kills < 0 ? faults : kills));
            long stored = read();
            conn.close();
            db.close();
            // the stored value read once more past the proxy, straight from the server
            try (Database direct = Database.open("cairn://127.0.0.1:" + server.port() + "/main");
                    Connection c = direct.open()) {
                stored = ((Counter) c.root().get("counter")).get();
                direct.transactionManager().abort();
            }
            return new long[] {stored, expected};
        } finally {
            proxy.close();
            server.close();
            if (child != null) child.destroyForcibly();
            if (dir != null) deleteQuietly(dir);
        }
    }

    /**
     * The pg-terminate kind: the workload directly on postgres:// (an embedded PostgreSQL
     * started for it) while another thread terminates every other client backend of the
     * database {@link #faults} times, each after 1-3 more operations and a random part of an
     * operation's time; returns {stored, expected} of its counter.
     */
    private long[] pgTerminatePhase(Map<String, long[]> perKind) throws Exception {
        System.out.println("faults: starting an embedded PostgreSQL 15 (fsync on) for pg-terminate...");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "on")
                .start()) {
            String uri = "postgres://postgres@localhost:" + pg.getPort() + "/postgres";
            System.out.println("faults: direct " + uri + ", backends terminated with pg_terminate_backend");
            db = Database.open(uri);
            conn = db.open();
            try {
                retrying(() -> db.transactionManager().run(attempts, () -> {
                    if (conn.root().get("counter") == null) conn.root().put("counter", conn.add(new Counter()));
                }));
                expected = read();
                // a few operations without faults: how long one takes, to place the terminations inside one
                long w = System.nanoTime();
                for (int i = 0; i < 20; i++) step();
                long opNanos = Math.max(1, (System.nanoTime() - w) / 20);
                progress.drainPermits();
                stalledFrom = stalledNanos.size();
                ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
                CompletableFuture<Void> terminator = CompletableFuture.runAsync(() -> {
                    try (java.sql.Connection admin = pg.getPostgresDatabase().getConnection();
                            java.sql.Statement st = admin.createStatement()) {
                        for (int i = 0; terminations.get() < faults; i++) {
                            progress.acquireUninterruptibly(1 + (i % 3));
                            // the fault's moment: a timer at a random point of the operation under way
                            int n = timer.schedule(
                                            () -> terminateBackends(st),
                                            ThreadLocalRandom.current().nextLong(opNanos),
                                            TimeUnit.NANOSECONDS)
                                    .get();
                            backendsTerminated += n;
                            if (n > 0) terminations.incrementAndGet();
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException("terminating PostgreSQL backends failed: " + e.getMessage(), e);
                    } finally {
                        timer.shutdown();
                    }
                });
                long ops = 0;
                while (!terminator.isDone()) {
                    step();
                    ops++;
                }
                terminator.join();
                long stored = read();
                // the stored value read once more, through a fresh client
                try (Database direct = Database.open(uri);
                        Connection c = direct.open()) {
                    stored = ((Counter) c.root().get("counter")).get();
                    direct.transactionManager().abort();
                }
                perKind.put("pg-terminate", new long[] {
                    terminations.get(), ops, p99Micros(stalledNanos.subList(stalledFrom, stalledNanos.size()))
                });
                return new long[] {stored, expected};
            } finally {
                conn.close();
                db.close();
            }
        }
    }

    private volatile Process child;

    /**
     * The server moves to a child JVM (same storage), which another thread kills with SIGKILL
     * {@code n} times, each after a few more operations, wherever the writer is, and starts
     * again; at the end the storage is served in-process again (after its recovery).
     */
    private long[] killPhase(String uri, int n) throws Exception {
        stalledFrom = stalledNanos.size();
        int port;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        proxy.hold();
        server.close();
        // if this JVM is stopped mid-phase (Ctrl-C, kill), the child server must not outlive it
        Thread reaper = new Thread(
                () -> {
                    Process c = child;
                    if (c != null) c.destroyForcibly();
                },
                "faults-child-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        child = startChild(port, uri);
        proxy.release(port);
        progress.drainPermits();
        CompletableFuture<Void> killer = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    progress.acquireUninterruptibly(1 + (i % 3));
                    child.destroyForcibly();
                    child.waitFor();
                    killed.incrementAndGet();
                    child = startChild(port, uri);
                }
            } catch (Exception e) {
                throw new IllegalStateException("restarting the killed server failed: " + e, e);
            }
        });
        long ops = 0;
        while (!killer.isDone()) {
            step();
            ops++;
        }
        killer.join();
        long stored = read();
        proxy.hold();
        child.destroyForcibly();
        child.waitFor();
        child = null;
        Runtime.getRuntime().removeShutdownHook(reaper);
        server = CairnServer.start(config);
        proxy.release(server.port());
        if (read() != stored)
            throw new IllegalStateException("the counter changed when the server moved back in-process");
        return new long[] {n, ops, p99Micros(stalledNanos.subList(stalledFrom, stalledNanos.size()))};
    }

    /** A server JVM serving {@code uri} as 'main' on {@code port}; returns once it is ready. */
    private static Process startChild(int port, String uri) throws java.io.IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ServerProcess.class.getName());
        cmd.add(String.valueOf(port));
        cmd.add(uri);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        var in = new java.io.BufferedReader(
                new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("READY")) {
                Thread drain = new Thread(
                        () -> {
                            try {
                                while (in.readLine() != null) {
                                    // discard the child's log
                                }
                            } catch (java.io.IOException ended) {
                                // killed
                            }
                        },
                        "faults-child-output");
                drain.setDaemon(true);
                drain.start();
                return p;
            }
            seen.append(line).append('\n');
        }
        throw new IllegalStateException("the server process ended before it was ready:\n" + seen);
    }

    /** Terminates every other client backend of the admin connection's database; returns how many. */
    private static int terminateBackends(java.sql.Statement admin) throws java.sql.SQLException {
        try (var rs = admin.executeQuery(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The server process of the kill phase: serves URI as 'main' on PORT, prints READY, runs until killed. */
    public static final class ServerProcess {
        private ServerProcess() {}

        public static void main(String[] args) throws Exception {
            CairnServer.start(new ServerConfig().port(Integer.parseInt(args[0])).storage("main", args[1]));
            System.out.println("READY");
            System.out.flush();
            new java.util.concurrent.CountDownLatch(1).await(); // until killed
        }
    }

    /** Runs operations with {@code fault} armed until it fired {@link #faults} times; returns {faults, operations}. */
    private long[] phase(Fault fault) {
        stalledFrom = stalledNanos.size();
        long start = proxy.faults();
        long ops = 0;
        proxy.inject(fault);
        while (proxy.faults() - start < faults) {
            step();
            ops++;
        }
        proxy.clearFaults();
        return new long[] {
            proxy.faults() - start, ops, p99Micros(stalledNanos.subList(stalledFrom, stalledNanos.size()))
        };
    }

    /** Restarts the server {@link #faults} times from another thread, each after a few more commits, wherever the writer is. */
    private long[] restarts() {
        progress.drainPermits(); // the steps of the earlier phases
        stalledFrom = stalledNanos.size();
        CompletableFuture<Void> restarter = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < faults; i++) {
                progress.acquireUninterruptibly(1 + (i % 3));
                proxy.hold();
                proxy.cutAll();
                server.close();
                server = CairnServer.start(config);
                proxy.release(server.port());
            }
        });
        long ops = 0;
        while (!restarter.isDone()) {
            step();
            ops++;
        }
        restarter.join();
        return new long[] {faults, ops, p99Micros(stalledNanos.subList(stalledFrom, stalledNanos.size()))};
    }

    private static long p99Micros(List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted.length == 0
                ? 0
                : sorted[(int) Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)] / 1000;
    }

    private long faultsSoFar() {
        return (proxy == null ? 0 : proxy.faults()) + killed.get() + terminations.get();
    }

    private void step() {
        long before = faultsSoFar();
        long t = System.nanoTime();
        try {
            db.transactionManager().run(attempts, () -> ((Counter) conn.root().get("counter")).add(1));
            acknowledged++;
            expected++;
        } catch (RetriesExhaustedException e) {
            notCommitted++;
        } catch (CommitOutcomeUnknownException e) {
            unknown++;
            long now = read();
            if (now != expected && now != expected + 1) {
                throw new IllegalStateException("after an unknown outcome the counter reads " + now + ", expected "
                        + expected + " or one more");
            }
            if (now > expected) unknownCommitted++;
            expected = now;
        }
        long took = System.nanoTime() - t;
        if (faultsSoFar() != before) stalledNanos.add(took);
        progress.release();
    }

    private long read() {
        long[] out = new long[1];
        retrying(() -> {
            db.transactionManager().begin();
            out[0] = ((Counter) conn.root().get("counter")).get();
            db.transactionManager().abort();
        });
        return out[0];
    }

    private static void retrying(Runnable r) {
        for (int i = 0; ; i++) {
            try {
                r.run();
                return;
            } catch (RetryableException e) {
                if (i >= 1000) throw e;
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // a temporary directory: the OS cleans it eventually
        }
    }
}
