package org.cairndb.bench.migrate;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.cairndb.bench.objects.BenchTarget;
import org.cairndb.migrate.Exporter;
import org.cairndb.migrate.FileFormat;
import org.cairndb.migrate.Importer;
import org.cairndb.migrate.Progress;
import org.cairndb.migrate.StopSignal;
import org.cairndb.migrate.TransferOptions;
import org.cairndb.migrate.TransferResult;
import org.cairndb.migrate.Verifier;
import org.cairndb.migrate.VerifyResult;
import org.cairndb.migrate.zodb.FileStorageWriter;
import org.cairndb.storage.BulkRestore;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;
import org.cairndb.storage.uri.Storages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn bench migrate --records 1000000 --to URI}: export and import of a database of
 * N records.
 *
 * <p>Workload: a source storage ({@code --from}, default {@code mem:}) is loaded (not timed)
 * with N records in transactions of {@code --per-txn} records, each record a new object (so
 * that every record is current and exported whatever history the source keeps: mem: and temp:
 * iterate their current state only), 80-400 bytes with a Cairn record header referencing up
 * to three earlier objects and a body that compresses about as well as serialized objects
 * (half text-like, half random). Then,
 * timed: export of the whole source to a file in {@code --format} (cairn or
 * zodb-filestorage), and import of that file into the empty storage {@code --to}
 * (PostgreSQL imports with COPY). The destination's last tid and object count are checked
 * against the source; {@code --verify} also compares every transaction.
 *
 * <p>peak_heap_mb is the largest heap in use (live objects and garbage not yet collected)
 * seen after any transaction of the export and the import, so it depends on -Xmx and the
 * collector; run with a small -Xmx (e.g. {@code CAIRN_JAVA_OPTS=-Xmx128m}) to see that
 * memory stays flat whatever N.
 *
 * <p>{@code --source zodb}: instead, a ZODB FileStorage ({@code Data.fs}) of N records is
 * generated (not timed) as ZODB writes one: objects created, then changed in later
 * transactions (each record's prev chain), with an undo (a backpointer record) every 20th
 * transaction. Timed: import of that file into {@code --to}, then export of {@code --to}
 * back to a FileStorage; {@code identical=true} says the exported file is the generated one,
 * byte for byte (as it must be through a storage that keeps history).
 *
 * <p>{@code --to postgres://embedded/DB?...} starts an embedded PostgreSQL for the run;
 * {@code --serve} serves {@code --to} by a Cairn server in this JVM and imports and exports
 * through {@code cairn://} to it, which the RESULT line shows as {@code to=cairn://(...)}.
 *
 * <p>Run: {@code bin/cairn bench migrate --records 1000000 --to postgres://user@localhost/db},
 * {@code bin/cairn bench migrate --source zodb --records 1000000 --to postgres://embedded/postgres?history=preserving --serve}
 */
@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        description =
                "Export and import of N records; last line: RESULT name=migrate records=... export_per_s=... import_per_s=... peak_heap_mb=...")
public final class MigrateBench implements Callable<Integer> {
    @Option(
            names = "--records",
            defaultValue = "1000000",
            description = "Records (revisions) in the database. Default: ${DEFAULT-VALUE}.")
    long records;

    @Option(
            names = "--per-txn",
            defaultValue = "100",
            description = "Records per transaction. Default: ${DEFAULT-VALUE}.")
    int perTxn;

    @Option(
            names = "--from",
            defaultValue = "mem:",
            description = "Source storage to load and export. Default: ${DEFAULT-VALUE}.")
    String from;

    @Option(
            names = "--to",
            defaultValue = "mem:",
            description = "Empty storage to import into. Default: ${DEFAULT-VALUE}.")
    String to;

    @Option(
            names = "--format",
            defaultValue = "cairn",
            description = "cairn or zodb-filestorage. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--file", description = "Export file (default: a temporary file, deleted after).")
    Path file;

    @Option(names = "--verify", description = "Also compare every transaction of source and destination.")
    boolean verify;

    @Option(
            names = "--source",
            defaultValue = "storage",
            description = "storage (load --from, export, import) or zodb"
                    + " (generate a Data.fs, import it into --to, export it back). Default: ${DEFAULT-VALUE}.")
    String source;

    @Option(names = "--serve", description = "Serve --to by a Cairn server in this JVM and go through cairn:// to it.")
    boolean serve;

    @Override
    public Integer call() throws Exception {
        if (source.equals("zodb")) return zodb();
        if (!source.equals("storage"))
            throw new IllegalArgumentException("--source must be storage or zodb, not " + source);
        FileFormat fmt = FileFormat.parse(format);
        Path out = file != null
                ? file
                : Files.createTempFile("cairn-migrate-bench", fmt == FileFormat.CAIRN ? ".cairnexp" : ".fs");
        Files.deleteIfExists(out);
        try (Storage src = Storages.open(from);
                Storage dst = Storages.open(to)) {
            if (dst.lastTid() != Tid.ZERO) throw new IllegalArgumentException("--to " + to + " must be empty");
            System.out.printf("loading %,d records into %s...%n", records, src.name());
            long t0 = System.nanoTime();
            load(src);
            System.out.printf("loaded in %.1f s%n", (System.nanoTime() - t0) / 1e9);

            System.gc();
            HeapPeak heap = new HeapPeak();
            TransferResult exp = Exporter.export(
                    src,
                    out,
                    fmt,
                    TransferOptions.defaults().withProgress(heap),
                    true); // Cairn records: measures the format, not Python
            long fileBytes = Files.size(out);
            System.out.printf(
                    "export: %s -> %s (%,d bytes, %.1f bytes/record)%n",
                    exp, out, fileBytes, (double) fileBytes / exp.records());
            TransferResult imp = Importer.importFile(
                    out, fmt, dst, TransferOptions.defaults().withProgress(heap));
            System.out.printf("import: %s -> %s%n", imp, dst.name());
            long peak = heap.peak;

            if (dst.lastTid() != src.lastTid() || imp.records() != exp.records()) {
                throw new IllegalStateException("destination differs: last tid " + Tid.hex(dst.lastTid()) + " vs "
                        + Tid.hex(src.lastTid()) + ", records " + imp.records() + " vs " + exp.records());
            }
            if (verify) {
                VerifyResult v = Verifier.compareCurrent(src, dst, Progress.NONE, new StopSignal());
                System.out.println("verify --current: " + v);
                if (!v.equal()) return 1;
            }
            System.out.printf(
                    "RESULT name=migrate records=%d format=%s from=%s to=%s export_per_s=%.0f import_per_s=%.0f file_mb=%.1f peak_heap_mb=%.0f max_heap_mb=%d%n",
                    exp.records(),
                    fmt.cliName(),
                    scheme(from),
                    scheme(to),
                    exp.recordsPerSecond(),
                    imp.recordsPerSecond(),
                    fileBytes / 1048576.0,
                    peak / 1048576.0,
                    Runtime.getRuntime().maxMemory() >> 20);
            return 0;
        } finally {
            if (file == null) Files.deleteIfExists(out);
        }
    }

    /** --source zodb: a generated Data.fs into --to and back out. */
    private int zodb() throws Exception {
        Path in = Files.createTempFile("cairn-migrate-bench-source", ".fs");
        Path out = file != null ? file : Files.createTempFile("cairn-migrate-bench", ".fs");
        Files.deleteIfExists(in);
        Files.deleteIfExists(out);
        try (BenchTarget target = BenchTarget.open(to, serve);
                Storage dst = Storages.open(target.uri())) {
            if (dst.lastTid() != Tid.ZERO) throw new IllegalArgumentException("--to " + to + " must be empty");
            System.out.printf("generating a FileStorage of %,d records...%n", records);
            long t0 = System.nanoTime();
            long[] made = generateFileStorage(in);
            long inBytes = Files.size(in);
            System.out.printf(
                    "generated %s in %.1f s: %,d transactions, %,d records, %,d bytes%n",
                    in, (System.nanoTime() - t0) / 1e9, made[0], made[1], inBytes);

            System.gc();
            HeapPeak heap = new HeapPeak();
            TransferResult imp = Importer.importFile(
                    in,
                    FileFormat.ZODB_FILESTORAGE,
                    dst,
                    TransferOptions.defaults().withProgress(heap));
            System.out.printf("import: %s -> %s%n", imp, target.label());
            TransferResult exp = Exporter.export(
                    dst,
                    out,
                    FileFormat.ZODB_FILESTORAGE,
                    TransferOptions.defaults().withProgress(heap));
            System.out.printf("export: %s -> %s%n", exp, out);
            boolean history =
                    dst.supports(org.cairndb.storage.Capability.HISTORY); // else only the current state comes back
            if (imp.records() != made[1] || (history && exp.transactions() != made[0])) {
                throw new IllegalStateException("records imported " + imp.records() + " and transactions exported "
                        + exp.transactions() + ", expected " + made[1] + " and " + made[0]);
            }
            boolean identical = Files.mismatch(in, out) == -1;
            System.out.printf(
                    "RESULT name=migrate source=zodb records=%d transactions=%d to=%s import_per_s=%.0f export_per_s=%.0f import_s=%.2f export_s=%.2f"
                            + " file_mb=%.1f identical=%s peak_heap_mb=%.0f max_heap_mb=%d%n",
                    imp.records(),
                    imp.transactions(),
                    target.label(),
                    imp.recordsPerSecond(),
                    exp.recordsPerSecond(),
                    imp.elapsed().toNanos() / 1e9,
                    exp.elapsed().toNanos() / 1e9,
                    inBytes / 1048576.0,
                    identical,
                    heap.peak / 1048576.0,
                    Runtime.getRuntime().maxMemory() >> 20);
            return 0;
        } finally {
            Files.deleteIfExists(in);
            if (file == null) Files.deleteIfExists(out);
        }
    }

    /**
     * Writes N records as a FileStorage, in transactions of --per-txn records: the first
     * quarter of each transaction's records create objects, the rest change random earlier
     * ones; every 20th transaction is an undo of the one before (backpointers to the records
     * it replaced). Returns {transactions, records}.
     */
    private long[] generateFileStorage(Path fs) {
        SplittableRandom rnd = new SplittableRandom(42);
        long tid = Tid.of(Instant.parse("2025-01-01T00:00:00Z"));
        long nextOid = 0;
        long done = 0, txns = 0;
        java.util.Map<Long, Long> lastTidOf = new java.util.HashMap<>();
        java.util.Map<Long, Long> prevTidOf = new java.util.HashMap<>();
        List<Revision> previous = List.of();
        try (FileStorageWriter w = FileStorageWriter.create(fs, false)) {
            while (done < records) {
                tid += 1 + rnd.nextInt(1 << 20);
                int n = (int) Math.min(perTxn, records - done);
                List<Revision> revs = new ArrayList<>(n);
                String desc;
                if (txns % 20 == 19 && !previous.isEmpty() && previous.size() <= n) {
                    desc = "undo";
                    for (Revision p : previous) {
                        Long before = prevTidOf.get(p.oid());
                        revs.add(
                                before == null
                                        ? new Revision(p.oid(), tid, null, Tid.ZERO)
                                        : new Revision(p.oid(), tid, null, before));
                    }
                } else {
                    desc = "change " + txns;
                    java.util.Set<Long> seen = new java.util.HashSet<>();
                    for (int i = 0; i < n; i++) {
                        long oid = (i < Math.max(1, n / 4) || nextOid < 100) ? nextOid++ : rnd.nextLong(nextOid);
                        if (!seen.add(oid)) oid = nextOid++;
                        revs.add(Revision.of(oid, tid, record(rnd, oid, nextOid)));
                    }
                }
                // undo records carry no data here: the writer needs only the tid they point to
                for (Revision r : revs) {
                    Long last = lastTidOf.put(r.oid(), tid);
                    if (last != null)
                        prevTidOf.put(r.oid(), r.isBackpointer() ? prevTidOf.getOrDefault(r.oid(), last) : last);
                }
                w.write(new TransactionRecord(tid, false, new TransactionMetadata("/ bench", desc, new byte[0]), revs));
                previous = desc.equals("undo") ? List.of() : revs;
                done += revs.size();
                txns++;
            }
        }
        return new long[] {txns, done};
    }

    private static String scheme(String uri) {
        int c = uri.indexOf(':');
        return c < 0 ? uri : uri.substring(0, c);
    }

    /** N records into {@code s}, through BulkRestore when it has it. */
    private void load(Storage s) {
        SplittableRandom rnd = new SplittableRandom(42);
        long tid = Tid.of(Instant.parse("2025-01-01T00:00:00Z"));
        long nextOid = 1;
        long done = 0;
        List<TransactionRecord> batch = new ArrayList<>();
        int batchRecords = 0;
        while (done < records) {
            tid += 1 + rnd.nextInt(1 << 20);
            int n = (int) Math.min(perTxn, records - done);
            List<Revision> revs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long oid = nextOid++;
                revs.add(Revision.of(oid, tid, record(rnd, oid, nextOid)));
            }
            done += n;
            batch.add(new TransactionRecord(
                    tid, false, new TransactionMetadata("/ bench", "load " + done, new byte[0]), revs));
            batchRecords += n;
            if (batchRecords >= 20_000) {
                flush(s, batch);
                batchRecords = 0;
            }
        }
        flush(s, batch);
    }

    private static void flush(Storage s, List<TransactionRecord> batch) {
        if (batch.isEmpty()) return;
        if (s instanceof BulkRestore b) b.restoreBatch(List.copyOf(batch));
        else batch.forEach(s::restore);
        batch.clear();
    }

    private static final String[] WORDS = {
        "title", "author", "isbn", "rating", "review", "the", "of", "lovely", "books", "chapter", "page", "user"
    };

    private static byte[] record(SplittableRandom rnd, long oid, long maxOid) {
        long[] refs = new long[rnd.nextInt(4)];
        for (int i = 0; i < refs.length; i++) refs[i] = 1 + rnd.nextLong(Math.max(1, maxOid - 1));
        StringBuilder body = new StringBuilder();
        int size = 80 + rnd.nextInt(320);
        while (body.length() < size / 2)
            body.append(WORDS[rnd.nextInt(WORDS.length)]).append(' ');
        byte[] text = body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] b = new byte[size];
        System.arraycopy(text, 0, b, 0, Math.min(text.length, size));
        for (int i = text.length; i < size; i++) b[i] = (byte) rnd.nextInt(256);
        return new RecordHeader("org.example.Book", refs).encode(b);
    }

    /** Heap in use (live and garbage), looked at after every transaction of the export and the import; the largest seen. */
    static final class HeapPeak implements Progress {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long peak;

        @Override
        public void update(long transactions, long records, double fraction) {
            peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
        }

        @Override
        public void done(TransferResult result) {
            update(0, 0, 0);
        }
    }
}
