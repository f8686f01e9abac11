package org.cairndb.bench.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cairndb.postgres.PostgresStorage;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;
import org.cairndb.storage.uri.Storages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn bench pg-writers [--uri postgres://...] [--writers 1,2,4] [--seconds 5] [--warmup 3] [--fsync on|off]
 * [--import 1000000] [--notify 300]}
 *
 * <h2>Workload</h2>
 * <ul>
 * <li>Writers: for each count W, W separate JVM processes ({@link PgWriterProcess}) commit
 *     small transactions (one ~100-byte object each, synchronous commit) on objects of their
 *     own (disjoint); the same work per commit at every W. All writers start, warm up for
 *     {@code --warmup} seconds (JIT, pools: not counted), and are counted over the same
 *     window of {@code --seconds}, all of them running: {@code wN=} is total commits per
 *     second. Retryable errors and conflicts inside the window are counted
 *     ({@code wN_retries=}, expected 0 on disjoint objects), and so is CPU: the writer JVMs'
 *     own CPU time over the window and, for the embedded server, the CPU time of every
 *     PostgreSQL process (backends, WAL writer...), as microseconds per commit
 *     ({@code wN_cpu_us=jvm+pg}). CPU-seconds per commit times commits per second against the
 *     cores of the machine says whether a count is CPU-bound.</li>
 * <li>Import (with {@code --import N}): N records in transactions of 100, given to
 *     {@link PostgresStorage#restoreBatch} (COPY) 100 transactions at a time, into a new
 *     history-preserving schema: {@code import_rps=} records per second.</li>
 * <li>Notify (with {@code --notify K}): K commits by one storage object, each timed from the
 *     return of finish to the call of a commit listener on a second storage object (another
 *     "process" over LISTEN/NOTIFY): {@code notify_p50_us=}, {@code notify_p99_us=}.</li>
 * </ul>
 * Without {@code --uri} an embedded PostgreSQL 15 is started with {@code fsync} as
 * {@code --fsync} says (default on: io.zonky's embedded server starts with {@code -F}, fsync
 * off, unless told otherwise; the setting in force is read back and printed).
 * The last line is {@code RESULT name=pg-writers w1=... w2=... w4=... [import_rps=...] [notify_p50_us=...]}.
 */
@Command(
        name = "pg-writers",
        mixinStandardHelpOptions = true,
        description =
                "Commits/s of small transactions on disjoint objects from 1, 2, 4 writer processes over PostgreSQL")
public final class PgWritersBench implements Callable<Integer> {

    @Option(names = "--uri", description = "postgres://user:pass@host:port/db (default: an embedded PostgreSQL 15)")
    String uri;

    @Option(
            names = "--writers",
            split = ",",
            defaultValue = "1,2,4",
            description = "writer process counts (default 1,2,4)")
    int[] writers;

    @Option(names = "--seconds", defaultValue = "5", description = "seconds per writer count (default 5)")
    double seconds;

    @Option(names = "--objects", defaultValue = "100", description = "objects per writer (default 100)")
    int objects;

    @Option(
            names = "--warmup",
            defaultValue = "3",
            description = "seconds every writer commits before the counted window (default 3)")
    double warmup;

    /** fsync of the embedded server (picocli refuses any other value, naming both). */
    enum Fsync {
        on,
        off
    }

    @Option(
            names = "--fsync",
            defaultValue = "on",
            description = "fsync of the embedded PostgreSQL: ${COMPLETION-CANDIDATES} (default on, durable)")
    Fsync fsync;

    @Option(
            names = "--pg-setting",
            description =
                    "name=value: a further setting of the embedded PostgreSQL (repeatable), e.g. commit_delay=100")
    List<String> pgSettings = new ArrayList<>();

    @Option(names = "--import", defaultValue = "0", description = "records to import through COPY (0: skip)")
    int importRecords;

    @Option(
            names = "--notify",
            defaultValue = "0",
            description = "commits to time from finish to a listener in another storage object (0: skip)")
    int notifySamples;

    /** The embedded server's port (its postmaster is found by it), or 0. */
    private int embeddedPort;

    public PgWritersBench() {}

    @Override
    public Integer call() throws Exception {
        EmbeddedPostgres embedded = null;
        String base = uri;
        if (base == null) {
            System.out.println("starting an embedded PostgreSQL 15 (fsync " + fsync + ")...");
            EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", fsync.name());
            for (String kv : pgSettings) {
                int eq = kv.indexOf('=');
                if (eq < 1)
                    throw new IllegalArgumentException(
                            "--pg-setting " + kv + ": expected name=value, e.g. commit_delay=100");
                b.setServerConfig(kv.substring(0, eq), kv.substring(eq + 1));
            }
            embedded = b.start();
            embeddedPort = embedded.getPort();
            base = "postgres://postgres@localhost:" + embeddedPort + "/postgres";
            try (java.sql.Connection c = embedded.getPostgresDatabase().getConnection();
                    java.sql.Statement st = c.createStatement();
                    java.sql.ResultSet rs =
                            st.executeQuery("SELECT current_setting('fsync'), current_setting('wal_sync_method')")) {
                rs.next();
                System.out.println("embedded PostgreSQL: fsync=" + rs.getString(1) + " wal_sync_method="
                        + rs.getString(2) + " (writers ask for synchronous_commit=on)");
            }
        }
        try {
            Map<String, String> result = new LinkedHashMap<>();
            String run = Long.toString(System.currentTimeMillis() % 100000);
            if (embedded != null) result.put("fsync", fsync.name());
            for (int w : writers) {
                Outcome o =
                        writers(with(base, "history=free&pool=2&schema=bench_" + run + "_w" + w), w, embedded != null);
                double rate = o.commits / seconds;
                System.out.printf(
                        "%d writer process(es): %.0f commits/s, %d retries, %d conflicts, CPU per commit: writer JVMs %.0f us"
                                + (o.pgCpuNanos < 0 ? "" : " + PostgreSQL %.0f us") + "%n",
                        w,
                        rate,
                        o.retries,
                        o.conflicts,
                        o.jvmCpuNanos / 1e3 / o.commits,
                        o.pgCpuNanos / 1e3 / o.commits);
                result.put("w" + w, String.format("%.0f", rate));
                result.put("w" + w + "_retries", Long.toString(o.retries + o.conflicts));
                result.put(
                        "w" + w + "_cpu_us",
                        String.format("%.0f", o.jvmCpuNanos / 1e3 / o.commits)
                                + (o.pgCpuNanos < 0 ? "" : String.format("+%.0f", o.pgCpuNanos / 1e3 / o.commits)));
            }
            if (importRecords > 0) {
                double rps = importRecords(with(base, "history=preserving&schema=bench_" + run + "_import"));
                System.out.printf("import of %d records through COPY: %.0f records/s%n", importRecords, rps);
                result.put("import_rps", String.format("%.0f", rps));
            }
            if (notifySamples > 0) {
                for (String client : new String[] {"pgjdbc", "socket"}) {
                    System.setProperty("cairn.pg.listen", client);
                    long[] us = notifyLatency(with(base, "history=free&schema=bench_" + run + "_notify_" + client));
                    System.out.printf(
                            "finish -> listener of another storage object, LISTEN through %s: p50 %d us, p99 %d us%n",
                            client, us[0], us[1]);
                    result.put("notify_" + client + "_p50_us", Long.toString(us[0]));
                    result.put("notify_" + client + "_p99_us", Long.toString(us[1]));
                }
                System.clearProperty("cairn.pg.listen");
            }
            StringBuilder sb = new StringBuilder("RESULT name=pg-writers");
            result.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
            System.out.println(sb);
            return 0;
        } finally {
            if (embedded != null) embedded.close();
        }
    }

    private static String with(String base, String params) {
        return base + (base.contains("?") ? "&" : "?") + params;
    }

    /** What one writer count measured over its window. */
    private record Outcome(long commits, long retries, long conflicts, long jvmCpuNanos, long pgCpuNanos) {}

    private Outcome writers(String target, int count, boolean embeddedServer) throws Exception {
        try (Storage s = Storages.open(target)) {
            s.lastTid(); // installs the schema once, before the writers race to it
        }
        List<Process> ps = new ArrayList<>();
        List<BufferedReader> outs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx128m");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(PgWriterProcess.class.getName());
            cmd.addAll(Arrays.asList(target, Integer.toString(objects)));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            ps.add(p);
            outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
        }
        for (BufferedReader r : outs) expect(r, "READY");
        long start = PgWriterProcess.micros() + (long) (warmup * 1e6);
        long end = start + (long) (seconds * 1e6);
        for (Process p : ps) {
            OutputStream o = p.getOutputStream();
            o.write(("GO " + start + " " + end + "\n").getBytes(StandardCharsets.UTF_8));
            o.flush();
        }
        // PostgreSQL's CPU is read when the first writer enters the window and when all have reported.
        Map<Long, Long> pg0 = embeddedServer ? expectThen(outs.get(0), "IN", this::postgresCpuNanos) : null;
        long commits = 0, retries = 0, conflicts = 0, cpu = 0;
        Map<Long, Long> pg1 = null;
        for (int i = 0; i < outs.size(); i++) {
            String[] f = expect(outs.get(i), "COUNT").split(" ");
            commits += Long.parseLong(f[1]);
            retries += Long.parseLong(f[2]);
            conflicts += Long.parseLong(f[3]);
            cpu += Long.parseLong(f[4]);
        }
        long pgCpu = -1;
        if (embeddedServer) {
            pg1 = postgresCpuNanos(); // the writers keep their connections open until told below
            pgCpu = 0;
            for (Map.Entry<Long, Long> e : pg1.entrySet()) pgCpu += e.getValue() - pg0.getOrDefault(e.getKey(), 0L);
        }
        for (Process p : ps) {
            p.getOutputStream().write("BYE\n".getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().flush();
        }
        for (Process p : ps) p.waitFor();
        return new Outcome(commits, retries, conflicts, cpu, pgCpu);
    }

    private static <T> T expectThen(BufferedReader r, String prefix, java.util.function.Supplier<T> then)
            throws Exception {
        expect(r, prefix);
        return then.get();
    }

    /**
     * CPU time so far, by pid, of the embedded PostgreSQL's processes: its postmaster (the
     * process of its binary under /tmp/embedded-pg started with {@code -p port}) and the
     * postmaster's children (backends, WAL writer, checkpointer...), read from Linux's /proc
     * (utime + stime, in clock ticks of 10 ms; a 5 s window makes that precise enough).
     * Another embedded server on the machine (a test run) is not counted. A process that ends
     * inside the window loses its share (autovacuum workers): a slight undercount. Empty where
     * there is no /proc.
     */
    private Map<Long, Long> postgresCpuNanos() {
        record Proc(long pid, long ppid, long ticks, String exe, String cmdline) {}
        List<Proc> all = new ArrayList<>();
        java.io.File[] dirs =
                new java.io.File("/proc").listFiles((d, n) -> n.chars().allMatch(Character::isDigit));
        for (java.io.File p : dirs == null ? new java.io.File[0] : dirs) {
            try {
                String exe = java.nio.file.Files.readSymbolicLink(p.toPath().resolve("exe"))
                        .toString();
                if (!exe.contains("embedded-pg") || !exe.endsWith("/bin/postgres")) continue;
                String stat = java.nio.file.Files.readString(p.toPath().resolve("stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // from field 3 of stat on
                String cmd = new String(
                        java.nio.file.Files.readAllBytes(p.toPath().resolve("cmdline")), StandardCharsets.UTF_8);
                all.add(new Proc(
                        Long.parseLong(p.getName()),
                        Long.parseLong(f[1]),
                        Long.parseLong(f[11]) + Long.parseLong(f[12]),
                        exe,
                        cmd));
            } catch (java.io.IOException | RuntimeException gone) {
                // not ours, not readable, or ended meanwhile
            }
        }
        String portArg = "\0-p\0" + embeddedPort + "\0";
        long postmaster = all.stream()
                .filter(p -> p.cmdline().contains(portArg))
                .mapToLong(Proc::pid)
                .findFirst()
                .orElse(-1);
        Map<Long, Long> out = new java.util.HashMap<>();
        for (Proc p : all) {
            if (p.pid() == postmaster || p.ppid() == postmaster)
                out.put(p.pid(), p.ticks() * 10_000_000L); // USER_HZ is 100 on Linux
        }
        return out;
    }

    private static String expect(BufferedReader r, String prefix) throws Exception {
        StringBuilder seen = new StringBuilder();
        for (String l = r.readLine(); l != null; l = r.readLine()) {
            if (l.startsWith(prefix)) return l;
            seen.append(l).append('\n');
        }
        throw new IllegalStateException("writer process ended without " + prefix + ":\n" + seen);
    }

    private double importRecords(String target) {
        try (PostgresStorage s = (PostgresStorage) Storages.open(target)) {
            int perTxn = 100;
            int txnsPerBatch = 100;
            long tid = Tid.of(java.time.Instant.parse("2020-01-01T00:00:00Z"));
            long oid = 1;
            long start = System.nanoTime();
            int done = 0;
            while (done < importRecords) {
                List<TransactionRecord> batch = new ArrayList<>(txnsPerBatch);
                for (int t = 0; t < txnsPerBatch && done < importRecords; t++) {
                    tid += 1000;
                    List<Revision> revs = new ArrayList<>(perTxn);
                    for (int i = 0; i < perTxn && done < importRecords; i++, done++) {
                        revs.add(Revision.of(
                                oid,
                                tid,
                                new RecordHeader("org.cairndb.bench.Imported", new long[] {oid / 2})
                                        .encode(new byte[100])));
                        oid++;
                    }
                    batch.add(new TransactionRecord(tid, false, TransactionMetadata.of("import", ""), revs));
                }
                s.restoreBatch(batch);
            }
            return importRecords / ((System.nanoTime() - start) / 1e9);
        }
    }

    private long[] notifyLatency(String target) throws Exception {
        try (Storage writer = Storages.open(target);
                Storage listener = Storages.open(target)) {
            java.util.concurrent.LinkedBlockingQueue<long[]> heard = new java.util.concurrent.LinkedBlockingQueue<>();
            try (AutoCloseable h =
                    listener.addCommitListener((tid, oids) -> heard.add(new long[] {tid, System.nanoTime()}))) {
                long[] oid = writer.newOids(1);
                long readTid = Tid.ZERO;
                long[] samples = new long[notifySamples];
                for (int i = -20; i < notifySamples; i++) {
                    StorageTransaction t = writer.begin(TransactionMetadata.EMPTY);
                    t.store(oid[0], readTid, PgWriterProcess.record(i));
                    t.vote();
                    long tid = t.finish();
                    long finished = System.nanoTime();
                    readTid = tid;
                    long[] e;
                    do {
                        e = heard.take(); // blocks until the listener is called
                    } while (e[0] != tid);
                    if (i >= 0) samples[i] = Math.max(0, e[1] - finished);
                }
                Arrays.sort(samples);
                return new long[] {samples[samples.length / 2] / 1000, samples[(int) (samples.length * 0.99)] / 1000};
            }
        }
    }
}
