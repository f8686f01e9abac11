package org.cairndb.bench.tasks;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.TransactionManager;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.cairndb.tasks.TaskContext;
import org.cairndb.tasks.TaskHandle;
import org.cairndb.tasks.TaskQueue;
import org.cairndb.tasks.Worker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn bench tasks [--uri postgres://...] [--samples 200] [--jobs 2000]}: Cairn's task
 * queue against db-scheduler on the same PostgreSQL.
 *
 * <p>Over 400 lines, one job: the comparison. Both systems are measured on the same PostgreSQL,
 * with the same batches of 100 and the same start and stop of the clock, into one RESULT line;
 * split per system, the rules that keep the numbers comparable would be read in two classes.
 *
 * <h2>Workload</h2>
 * <ul>
 * <li>Start latency: one job at a time, from the submit (before its commit) to its handler's
 *     first line, with one worker thread listening from another storage object (as another
 *     process would); {@code --samples} jobs after 50 of warm-up. On {@code postgres://}
 *     ({@code start_p50_ms}, {@code start_p99_ms}) and over {@code cairn://} (a server in this
 *     process serving the same database; {@code remote_start_*}). db-scheduler polls, so its
 *     latency is spread over its polling interval: jobs are scheduled at evenly spread moments
 *     over two intervals ({@code --dbs-samples} of them) with its default interval (10 s;
 *     {@code dbscheduler_start_*}) and with {@code --dbs-fast-ms} (default 100 ms;
 *     {@code dbscheduler_fast_start_*}).</li>
 * <li>Throughput: workers start first (1 or 2 processes; in 2, this one and a child JVM, the
 *     threads split evenly), then {@code --jobs} empty jobs are submitted in transactions of
 *     100 (db-scheduler: rows inserted 100 per transaction); jobs/s from the first submit to the
 *     last handler start. For W = 1, 4, 16 threads: {@code pg_wW_pP=}; the best is
 *     {@code jobs_per_s}. db-scheduler runs the same with its fast interval
 *     ({@code dbs_wW_pP=}, best {@code dbscheduler_jobs_per_s}); over cairn:// W = 4 and 16 in
 *     one process ({@code remote_wW_p1}).</li>
 * </ul>
 */
@Command(
        name = "tasks",
        mixinStandardHelpOptions = true,
        description =
                "Task queue: submit-to-start latency and jobs/s on postgres:// and cairn://, against db-scheduler on the same PostgreSQL")
public final class TasksBench implements Callable<Integer> {
    @Option(
            names = "--uri",
            description =
                    "postgres://user:pass@host:port/db whose server the bench creates its databases on (default: an embedded PostgreSQL 15)")
    String uri;

    @Option(
            names = "--samples",
            defaultValue = "200",
            description = "latency samples per Cairn storage (default ${DEFAULT-VALUE})")
    int samples;

    @Option(
            names = "--dbs-samples",
            defaultValue = "20",
            description = "latency samples per db-scheduler interval (default ${DEFAULT-VALUE})")
    int dbsSamples;

    @Option(
            names = "--dbs-fast-ms",
            defaultValue = "100",
            description = "db-scheduler's shortest polling interval tried, ms (default ${DEFAULT-VALUE})")
    long dbsFastMs;

    @Option(names = "--jobs", defaultValue = "2000", description = "jobs per throughput run (default ${DEFAULT-VALUE})")
    int jobs;

    @Option(
            names = "--workers",
            split = ",",
            defaultValue = "1,4,16",
            description = "worker threads per throughput run (default ${DEFAULT-VALUE})")
    int[] workers;

    @Option(
            names = "--skip-default-poll",
            description = "skip db-scheduler at its default 10 s interval (it takes about 30 s)")
    boolean skipDefaultPoll;

    private String host, user, password;
    private int port;
    private final Map<String, String> result = new LinkedHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @Override
    public Integer call() throws Exception {
        EmbeddedPostgres embedded = null;
        String base = uri;
        if (base == null) {
            System.out.println("starting an embedded PostgreSQL 15...");
            embedded = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .start();
            base = "postgres://postgres@localhost:" + embedded.getPort() + "/postgres";
        }
        URI u = URI.create(base);
        host = u.getHost();
        port = u.getPort() < 0 ? 5432 : u.getPort();
        String info = u.getUserInfo() == null ? "postgres" : u.getUserInfo();
        user = info.contains(":") ? info.substring(0, info.indexOf(':')) : info;
        password = info.contains(":") ? info.substring(info.indexOf(':') + 1) : "";
        try {
            String run = Long.toString(System.currentTimeMillis() % 100000);
            String cairnDb = createDatabase("cairn_tasks_" + run);
            String pgUri = "postgres://" + (u.getUserInfo() == null ? "postgres" : u.getUserInfo()) + "@" + host + ":"
                    + port + "/" + cairnDb + "?history=free";
            cairn("pg", pgUri, pgUri, true);
            try (CairnServer server =
                    CairnServer.start(new ServerConfig().port(0).storage("main", pgUri))) {
                String remote = "cairn://127.0.0.1:" + server.port() + "/main";
                cairn("remote", remote, null, false);
            }
            dbScheduler(createDatabase("dbscheduler_" + run));
            System.out.println("RESULT name=tasks "
                    + String.join(
                            " ",
                            result.entrySet().stream()
                                    .map(e -> e.getKey() + "=" + e.getValue())
                                    .toList()));
            return 0;
        } finally {
            timer.shutdownNow();
            if (embedded != null) embedded.close();
        }
    }

    private String jdbc(String db) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + db;
    }

    private String createDatabase(String name) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbc("postgres"), user, password);
                java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return name;
    }

    // ---- Cairn ----

    private void cairn(String label, String storageUri, String childUri, boolean twoProcesses) throws Exception {
        try (Database submitter = Database.open(storageUri);
                Database workerDb = Database.open(storageUri);
                Connection conn = submitter.open()) {
            TransactionManager tm = conn.transactionManager();
            // latency
            TaskQueue q = TaskQueue.of(submitter, "latency");
            Map<Integer, Long> started = new ConcurrentHashMap<>();
            List<Double> lat = new ArrayList<>();
            try (Worker w = TaskQueue.of(workerDb, "latency")
                    .worker((Integer n, TaskContext c) -> {
                        started.put(n, System.nanoTime());
                        return null;
                    })
                    .start()) {
                for (int i = 0; i < samples + 50; i++) {
                    int n = i;
                    long t0 = System.nanoTime();
                    TaskHandle h = tm.run(5, () -> q.submit(n));
                    h.completion().get();
                    if (i >= 50) lat.add((started.get(n) - t0) / 1e6);
                }
            }
            Collections.sort(lat);
            String prefix = label.equals("pg") ? "" : label + "_";
            result.put(prefix + "start_p50_ms", fmt(pct(lat, 50)));
            result.put(prefix + "start_p99_ms", fmt(pct(lat, 99)));
            System.out.printf(
                    Locale.ROOT,
                    "%s: submit-to-start p50 %.2f ms, p99 %.2f ms (%d samples)%n",
                    label,
                    pct(lat, 50),
                    pct(lat, 99),
                    lat.size());
            // throughput
            double best = 0;
            for (int p = 1; p <= (twoProcesses ? 2 : 1); p++) {
                for (int wN : workers) {
                    if (!twoProcesses && wN == 1) continue;
                    if (p == 2 && wN < 2) continue;
                    String qn = "tp_" + label + "_w" + wN + "_p" + p;
                    double jps = cairnThroughput(tm, submitter, workerDb, childUri, qn, wN, p);
                    result.put(label + "_w" + wN + "_p" + p, fmt(jps));
                    System.out.printf(
                            Locale.ROOT, "%s: %d worker threads in %d process(es): %.0f jobs/s%n", label, wN, p, jps);
                    best = Math.max(best, jps);
                }
            }
            result.put(prefix + "jobs_per_s", fmt(best));
            q.close();
        }
    }

    private double cairnThroughput(
            TransactionManager tm,
            Database submitter,
            Database workerDb,
            String childUri,
            String qn,
            int threads,
            int processes)
            throws Exception {
        CountDownLatch done = new CountDownLatch(jobs);
        AtomicLong last = new AtomicLong();
        Process child = null;
        int mine = processes == 2 ? threads / 2 : threads;
        TaskQueue wq = TaskQueue.of(workerDb, qn);
        Worker w = wq.worker((Integer n, TaskContext c) -> {
                    last.accumulateAndGet(System.currentTimeMillis(), Math::max);
                    done.countDown();
                    return null;
                })
                .threads(mine)
                .start();
        try {
            if (processes == 2) child = child(done, last, "cairn", childUri, qn, Integer.toString(threads - mine));
            TaskQueue q = TaskQueue.of(submitter, qn);
            long t0 = System.currentTimeMillis();
            for (int b = 0; b < jobs; b += 100) {
                int from = b;
                tm.run(5, () -> {
                    for (int i = from; i < Math.min(jobs, from + 100); i++) q.submit(i);
                });
            }
            done.await();
            q.close();
            return jobs / Math.max(0.001, (last.get() - t0) / 1000.0);
        } finally {
            w.close();
            wq.close();
            if (child != null) {
                child.getOutputStream().close();
                child.waitFor();
            }
        }
    }

    /** Starts a child worker; counts its "H ts" lines into {@code done} and {@code last}. Returns once it is READY. */
    private Process child(CountDownLatch done, AtomicLong last, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(TasksBenchChild.class.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = r.readLine()) != null && !line.equals("READY"); ) {
            if (line.contains("Exception")) System.out.println("child: " + line);
        }
        Thread t = new Thread(
                () -> {
                    try {
                        for (String line; (line = r.readLine()) != null; ) {
                            if (line.startsWith("H ")) {
                                last.accumulateAndGet(Long.parseLong(line.substring(2)), Math::max);
                                done.countDown();
                            }
                        }
                    } catch (Exception ignored) {
                        // the child ended
                    }
                },
                "bench-child-reader");
        t.setDaemon(true);
        t.start();
        return p;
    }

    // ---- db-scheduler ----

    private void dbScheduler(String db) throws Exception {
        try (HikariDataSource ds = DbSchedulerRun.dataSource(jdbc(db), user, password, 40)) {
            DbSchedulerRun.createTable(ds);
            SchedulerClient client = DbSchedulerRun.client(ds);
            if (!skipDefaultPoll) dbsLatency(ds, client, "dbscheduler", Duration.ofSeconds(10));
            dbsLatency(ds, client, "dbscheduler_fast", Duration.ofMillis(dbsFastMs));
            double best = 0;
            for (int p = 1; p <= 2; p++) {
                for (int wN : workers) {
                    if (p == 2 && wN < 2) continue;
                    double jps = dbsThroughput(ds, db, "tp_w" + wN + "_p" + p + "_", wN, p);
                    result.put("dbs_w" + wN + "_p" + p, fmt(jps));
                    System.out.printf(
                            Locale.ROOT,
                            "db-scheduler (poll %d ms): %d worker threads in %d process(es): %.0f jobs/s%n",
                            dbsFastMs,
                            wN,
                            p,
                            jps);
                    best = Math.max(best, jps);
                }
            }
            result.put("dbscheduler_jobs_per_s", fmt(best));
        }
    }

    private void dbsLatency(HikariDataSource ds, SchedulerClient client, String key, Duration poll) throws Exception {
        Map<String, Long> started = new ConcurrentHashMap<>();
        Map<String, Long> submitted = new ConcurrentHashMap<>();
        CountDownLatch all = new CountDownLatch(dbsSamples);
        Scheduler s = DbSchedulerRun.scheduler(ds, 1, poll, id -> {
            started.putIfAbsent(id, System.nanoTime());
            all.countDown();
        });
        try {
            long spread = 2 * poll.toNanos() / dbsSamples;
            for (int i = 0; i < dbsSamples; i++) {
                String id = key + "_" + i;
                timer.schedule(
                        () -> {
                            submitted.put(id, System.nanoTime());
                            DbSchedulerRun.schedule(client, id);
                        },
                        i * spread,
                        TimeUnit.NANOSECONDS);
            }
            all.await();
        } finally {
            s.stop();
        }
        List<Double> lat = new ArrayList<>();
        for (Map.Entry<String, Long> e : started.entrySet()) lat.add((e.getValue() - submitted.get(e.getKey())) / 1e6);
        Collections.sort(lat);
        result.put(key + "_start_p50_ms", fmt(pct(lat, 50)));
        result.put(key + "_start_p99_ms", fmt(pct(lat, 99)));
        System.out.printf(
                Locale.ROOT,
                "db-scheduler (poll %d ms): submit-to-start p50 %.1f ms, p99 %.1f ms (%d samples)%n",
                poll.toMillis(),
                pct(lat, 50),
                pct(lat, 99),
                lat.size());
    }

    private double dbsThroughput(HikariDataSource ds, String db, String prefix, int threads, int processes)
            throws Exception {
        CountDownLatch done = new CountDownLatch(jobs);
        AtomicLong last = new AtomicLong();
        int mine = processes == 2 ? threads / 2 : threads;
        Scheduler s = DbSchedulerRun.scheduler(ds, mine, Duration.ofMillis(dbsFastMs), id -> {
            if (!id.startsWith(prefix)) return;
            last.accumulateAndGet(System.currentTimeMillis(), Math::max);
            done.countDown();
        });
        Process child = null;
        try {
            if (processes == 2) {
                child = child(
                        done,
                        last,
                        "dbs",
                        jdbc(db),
                        user,
                        password,
                        Integer.toString(threads - mine),
                        Long.toString(dbsFastMs));
            }
            long t0 = System.currentTimeMillis();
            DbSchedulerRun.bulk(ds, prefix, jobs);
            done.await();
            return jobs / Math.max(0.001, (last.get() - t0) / 1000.0);
        } finally {
            s.stop();
            if (child != null) {
                child.getOutputStream().close();
                child.waitFor();
            }
        }
    }

    private static double pct(List<Double> sorted, int p) {
        if (sorted.isEmpty()) return 0;
        return sorted.get(Math.min(sorted.size() - 1, Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
    }
}
