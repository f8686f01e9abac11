package org.cairndb.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cairndb.migrate.cli.MigrateCli;
import org.cairndb.postgres.testing.TestPostgres;
import org.cairndb.storage.BulkRestore;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionRecord;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The mistakes admins make, each run end to end through the command line in a process of its
 * own (real files, real PostgreSQL), checking the exit code, the message, and what the
 * destination holds afterwards (issue 13). Every test here failed before the fix it names.
 */
class AdminMistakesTest {
    @TempDir
    Path dir;

    record Run(int exit, String out) {
        /** An error is one line (plus a possible progress line before it): never a stack trace. */
        Run assertOneLineError(int code) {
            assertThat(exit).as(out).isEqualTo(code);
            assertThat(out)
                    .as(out)
                    .doesNotContain("\tat ")
                    .doesNotContain("Exception:")
                    .doesNotContain("Caused by");
            assertThat(out.lines().filter(l -> l.contains("error")).count())
                    .as(out)
                    .isEqualTo(1);
            return this;
        }
    }

    /** {@code cairn ARGS} in a child JVM (the migrate commands as bin/cairn runs them); stdout and stderr together. */
    static Run cairn(String... args) {
        return cairnWith(List.of(), args);
    }

    /** As {@link #cairn}, with JVM options (-Dkey=value) for the child. */
    static Run cairnWith(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String f : System.getProperty("cairn.jvm.flags", "").trim().split("\\s+")) if (!f.isEmpty()) cmd.add(f);
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of(
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                MigrateCli.class.getName()));
        cmd.addAll(Arrays.asList(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            return new Run(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String pg() {
        return StorageKind.PG_PRESERVING.freshUri();
    }

    static void fill(String uri, List<TransactionRecord> txns) {
        try (Storage s = Storages.open(uri)) {
            if (s instanceof BulkRestore b) b.restoreBatch(txns);
            else txns.forEach(s::restore);
        }
    }

    static List<TransactionRecord> contents(String uri) {
        List<TransactionRecord> out = new ArrayList<>();
        try (Storage s = Storages.openExisting(uri);
                CloseableIterator<TransactionRecord> it = s.iterator(Tid.ZERO, Tid.MAX)) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    Path exportOf(List<TransactionRecord> txns, FileFormat format) {
        ListStorage s = new ListStorage("list");
        txns.forEach(s::restore);
        Path f = dir.resolve("export-" + System.nanoTime() + (format == FileFormat.CAIRN ? ".cairnexp" : ".fs"));
        Exporter.export(s, f, format, TransferOptions.defaults(), true);
        return f;
    }

    /** The same history moved {@code delta} tids later (data, backpointers and all). */
    static List<TransactionRecord> shifted(List<TransactionRecord> h, long delta) {
        List<TransactionRecord> out = new ArrayList<>();
        for (TransactionRecord t : h) {
            List<Revision> revs = new ArrayList<>();
            for (Revision r : t.revisions())
                revs.add(new Revision(
                        r.oid(), r.tid() + delta, r.data(), r.dataTid() == Tid.ZERO ? Tid.ZERO : r.dataTid() + delta));
            out.add(new TransactionRecord(t.tid() + delta, t.packed(), t.metadata(), revs));
        }
        return out;
    }

    // ---- 1: import --incremental checks that the destination is a prefix of the file --------------

    @ParameterizedTest
    @EnumSource(FileFormat.class)
    void importIncremental_intoUnrelatedDatabase_isRefusedAndWritesNothing(FileFormat format) {
        List<TransactionRecord> mine = TestHistories.random(1, 30, 4);
        String dest = pg();
        fill(dest, mine);

        // another database whose tids interleave with the destination's: before, it appended (replacing objects)
        Run r = cairn(
                "import",
                "--in",
                exportOf(TestHistories.random(2, 20, 4), format).toString(),
                "--to",
                dest,
                "--incremental",
                "-q");
        r.assertOneLineError(1);
        assertThat(r.out()).contains("is not in the source").contains("nothing was written");
        assertThat(contents(dest)).isEqualTo(mine);

        // a database wholly older than the destination: before, "0 transactions (N already present, skipped)", exit 0
        Run older = cairn(
                "import",
                "--in",
                exportOf(shifted(TestHistories.random(3, 20, 4), -(1L << 40)), format)
                        .toString(),
                "--to",
                dest,
                "--incremental",
                "-q");
        older.assertOneLineError(1);
        assertThat(older.out()).contains("the source ends before it");
        assertThat(contents(dest)).isEqualTo(mine);
    }

    @Test
    void importIncremental_lastTransactionSameTidOtherBytes_isRefused() {
        List<TransactionRecord> h = TestHistories.random(4, 30, 4);
        String dest = pg();
        fill(dest, h.subList(0, 10));
        List<TransactionRecord> changed = new ArrayList<>(h);
        TransactionRecord t = h.get(9);
        List<Revision> revs = new ArrayList<>(t.revisions());
        Revision first = revs.get(0);
        revs.set(0, new Revision(first.oid(), first.tid(), "not the same".getBytes(StandardCharsets.UTF_8), Tid.ZERO));
        changed.set(9, new TransactionRecord(t.tid(), t.packed(), t.metadata(), revs));

        Run r = cairn(
                "import", "--in", exportOf(changed, FileFormat.CAIRN).toString(), "--to", dest, "--incremental", "-q");
        r.assertOneLineError(1);
        assertThat(r.out()).contains("differs");
        assertThat(contents(dest)).isEqualTo(h.subList(0, 10));

        Run ok = cairn("import", "--in", exportOf(h, FileFormat.CAIRN).toString(), "--to", dest, "--incremental", "-q");
        assertThat(ok.exit()).as(ok.out()).isZero();
        assertThat(ok.out()).contains("20 transactions").contains("10 already present");
        assertThat(contents(dest)).isEqualTo(h);
    }

    @Test
    void copyIncremental_fromLiveMemSourceWhoseLastCopiedObjectsChanged_continues() {
        List<TransactionRecord> base = new ArrayList<>(TestHistories.random(12, 20, 4));
        long t0 = base.get(base.size() - 1).tid() + 1000;
        TransactionRecord lastCopied = new TransactionRecord(
                t0, false, null, List.of(Revision.of(100_000, t0, new byte[] {1}), Revision.of(100_001, t0, new byte[] {
                    2
                })));
        base.add(lastCopied);
        List<Revision> withData = lastCopied.revisions();
        String src = "mem:" + dir.resolve("live.cairn");
        fill(src, base);
        String dest = pg();
        assertThat(cairn("copy", "--from", src, "--to", dest, "-q").exit()).isZero();
        // the live source goes on: one object of the transaction the destination ends with is replaced
        long tid = lastCopied.tid() + 1000;
        fill(
                src,
                List.of(new TransactionRecord(
                        tid, false, null, List.of(Revision.of(withData.get(0).oid(), tid, new byte[] {7, 7, 7})))));

        Run r = cairn("copy", "--from", src, "--to", dest, "--incremental", "-q");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("1 transactions");
        Run verify = cairn("verify", src, dest, "-q");
        assertThat(verify.exit()).as(verify.out()).isZero();
    }

    // ---- 2: reading never creates ---------------------------------------------------------------

    @Test
    void readOnlyCommands_onMistypedMemPath_createNothingAndFail() {
        Path typo = dir.resolve("no-such-dir").resolve("typo.cairn");
        String uri = "mem:" + typo;
        Path out = dir.resolve("backup.cairnexp");
        Path copyDest = dir.resolve("copy-dest.cairn");
        for (String[] args : List.of(
                new String[] {"info", uri},
                new String[] {"verify", uri, "mem:" + dir.resolve("typo2.cairn")},
                new String[] {"export", "--from", uri, "--out", out.toString()},
                new String[] {"copy", "--from", uri, "--to", "mem:" + copyDest},
                new String[] {"pack", uri, "--days", "1"})) {
            Run r = cairn(args);
            r.assertOneLineError(1);
            assertThat(r.out())
                    .as(String.join(" ", args))
                    .contains(typo.toString())
                    .contains("does not exist");
        }
        assertThat(typo.getParent()).doesNotExist();
        assertThat(dir.resolve("typo2.cairn")).doesNotExist();
        assertThat(out).doesNotExist();
        assertThat(copyDest).doesNotExist();
    }

    @Test
    void readOnlyCommands_onMissingPostgresSchema_createNoTable() throws Exception {
        String db = TestPostgres.get().newDatabase("admin_ro");
        String uri = TestPostgres.get().uri(db, "schema=typo");
        for (String[] args : List.of(new String[] {"info", uri}, new String[] {"verify", uri, uri}, new String[] {
            "export", "--from", uri, "--out", dir.resolve("x.cairnexp").toString()
        })) {
            Run r = cairn(args);
            r.assertOneLineError(1);
            assertThat(r.out()).contains("schema 'typo'").contains("holds no Cairn storage");
        }
        try (Connection c = TestPostgres.get().connect(db);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'typo'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    // ---- 3: a damaged mem: file is never "recovered" into wrong data ----------------------------

    /** A persisted mem: file holding {@code h}, written through the CLI (copy from PostgreSQL); returns its path. */
    Path memFile(List<TransactionRecord> h) {
        String src = pg();
        fill(src, h);
        Path f = dir.resolve("db-" + System.nanoTime() + ".cairn");
        Run r = cairn("copy", "--from", src, "--to", "mem:" + f, "-q");
        assertThat(r.exit()).as(r.out()).isZero();
        return f;
    }

    static long lastTid(List<TransactionRecord> h) {
        return h.get(h.size() - 1).tid();
    }

    @Test
    void reopen_newestJournalSlotEmptied_keepsTheNewestTransaction() throws Exception {
        List<TransactionRecord> h = TestHistories.random(5, 40, 4);
        Path f = memFile(h);
        Path a = Path.of(f + ".journal-a"), b = Path.of(f + ".journal-b");
        // the newest slot is the one written last
        Path newest = Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b)) > 0 ? a : b;
        Files.write(newest, new byte[0]);

        Run info = cairn("info", "mem:" + f);
        assertThat(info.exit()).as(info.out()).isZero();
        assertThat(info.out()).contains("last tid      " + Tid.hex(lastTid(h)));
        String src = pg();
        fill(src, h);
        Run verify = cairn("verify", src, "mem:" + f);
        assertThat(verify.exit()).as(verify.out()).isZero();
        assertThat(verify.out()).contains("equal");
    }

    @Test
    void reopen_mapTruncatedToZeroBytes_isRefusedAndNotRecreated() throws Exception {
        Path f = memFile(TestHistories.random(6, 20, 4));
        Files.write(f, new byte[0]);
        long journal = Files.size(Path.of(f + ".journal-a")) + Files.size(Path.of(f + ".journal-b"));

        Run r = cairn("info", "mem:" + f);
        r.assertOneLineError(1);
        assertThat(r.out()).contains("exists but is empty (0 bytes)").contains("Restore");
        Run copy = cairn(
                "import",
                "--in",
                exportOf(TestHistories.random(6, 20, 4), FileFormat.CAIRN).toString(),
                "--to",
                "mem:" + f);
        copy.assertOneLineError(1);
        assertThat(Files.size(f)).isZero();
        assertThat(Files.size(Path.of(f + ".journal-a")) + Files.size(Path.of(f + ".journal-b")))
                .isEqualTo(journal);
    }

    @Test
    void reopen_mapOlderThanItsJournal_isRefusedSayingHowToRecover() throws Exception {
        List<TransactionRecord> h = TestHistories.random(7, 40, 4);
        java.util.Set<Long> early = new java.util.HashSet<>();
        h.subList(0, 20).forEach(t -> t.revisions().forEach(r -> early.add(r.oid())));
        assertThat(h.get(38).revisions())
                .as("the next-to-last transaction rewrites an object the backup holds")
                .anyMatch(r -> early.contains(r.oid()));
        String src = pg();
        fill(src, h.subList(0, 20));
        Path f = dir.resolve("restored.cairn");
        assertThat(cairn("copy", "--from", src, "--to", "mem:" + f, "-q").exit())
                .isZero();
        Path backup = dir.resolve("backup-of-map");
        Files.copy(f, backup);
        fill(src, h.subList(20, 40));
        Run more = cairn("copy", "--from", src, "--to", "mem:" + f, "--incremental", "-q");
        assertThat(more.exit()).as(more.out()).isZero();
        Files.copy(backup, f, StandardCopyOption.REPLACE_EXISTING); // the map from the backup, the journal from today

        Run r = cairn("info", "mem:" + f);
        r.assertOneLineError(1);
        assertThat(r.out())
                .contains("older than its journal")
                .contains("Restore the map and its .journal-a/.journal-b files");
        assertThat(Files.mismatch(f, backup)).isEqualTo(-1L);
    }

    // ---- 6: a faithful copy verifies equal, between every pair of storage kinds -----------------

    /** The kinds a command line can name twice and reach the same data (not temp: or mem: without a path: new each open). */
    enum Kind {
        MEM_FILE,
        PG_PRESERVING,
        PG_FREE,
        CAIRN
    }

    String freshUri(Kind k) {
        return switch (k) {
            case MEM_FILE -> "mem:" + dir.resolve(k + "-" + System.nanoTime() + ".cairn");
            case PG_PRESERVING -> StorageKind.PG_PRESERVING.freshUri();
            case PG_FREE -> StorageKind.PG_FREE.freshUri();
            case CAIRN -> StorageKind.CAIRN.freshUri();
        };
    }

    /** In this JVM, for speed (the same command code as the child processes run); stdout and stderr together. */
    static synchronized Run inProcess(String... args) {
        java.io.PrintStream oldOut = System.out, oldErr = System.err;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream both = new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8);
        try {
            System.setOut(both);
            System.setErr(both);
            int exit = MigrateCli.commandLine().execute(args);
            return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> kindPairs() {
        List<org.junit.jupiter.params.provider.Arguments> out = new ArrayList<>();
        for (Kind a : Kind.values())
            for (Kind b : Kind.values()) out.add(org.junit.jupiter.params.provider.Arguments.of(a, b));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @org.junit.jupiter.params.provider.MethodSource("kindPairs")
    void copyThenVerify_everyPairOfKinds_isEqual(Kind from, Kind to) {
        String src = freshUri(from), dst = freshUri(to);
        fill(src, TestHistories.random(11, 60, 5));
        Run copy = inProcess("copy", "--from", src, "--to", dst, "-q");
        assertThat(copy.exit()).as(copy.out()).isZero();
        Run verify = inProcess("verify", src, dst, "-q");
        assertThat(verify.exit()).as(verify.out()).isZero();
        assertThat(verify.out()).containsPattern("verify: equal: .*sha256 [0-9a-f]{64}");
        boolean history = from != Kind.MEM_FILE && from != Kind.PG_FREE && to != Kind.MEM_FILE && to != Kind.PG_FREE;
        assertThat(verify.out())
                .as(verify.out())
                .matches(
                        history
                                ? "(?s)verify: equal: \\d+ transactions.*"
                                : "(?s).*keeps only the current state.*objects.*");
    }

    // ---- 5: a Data.fs of Kryo records is not what Python ZODB can read --------------------------

    @Test
    void exportZodb_ofCairnObjectRecords_isRefusedUnlessAllowed() {
        String src = pg();
        byte[] rec = new RecordHeader("org.example.Book", new long[0]).encode(new byte[] {1, 2, 3});
        long tid = Tid.of(java.time.Instant.parse("2026-02-01T00:00:00Z"));
        fill(src, List.of(new TransactionRecord(tid, false, null, List.of(Revision.of(0, tid, rec)))));
        Path out = dir.resolve("Data.fs");

        Run r = cairn("export", "--from", src, "--out", out.toString(), "--format", "zodb-filestorage", "-q");
        r.assertOneLineError(1);
        assertThat(r.out())
                .contains("org.example.Book")
                .contains("Python ZODB cannot load it")
                .contains("--allow-foreign-records");
        assertThat(out).doesNotExist();

        Run allowed = cairn(
                "export",
                "--from",
                src,
                "--out",
                out.toString(),
                "--format",
                "zodb-filestorage",
                "-q",
                "--allow-foreign-records");
        assertThat(allowed.exit()).as(allowed.out()).isZero();
        assertThat(out).exists();
    }

    // ---- 7: no secret in any output -------------------------------------------------------------

    @Test
    void everyCommand_withPasswordsInUris_neverPrintsThem() throws Exception {
        String db = TestPostgres.get().newDatabase("admin_secret");
        TestPostgres.get().createPasswordRole("admin_pw", "RIGHTPW4242", db);
        String wrongPw = TestPostgres.get().uri("admin_pw", "WRONGPW4242", db, "");
        String rightPw = TestPostgres.get().uri("admin_pw", "RIGHTPW4242", db, "");
        String remote = "cairn://127.0.0.1:1/main?secret=TOPSECRET4242&tls-password=TLSPW4242";
        fill(rightPw, TestHistories.random(8, 5, 2));
        Path exp = dir.resolve("secret.cairnexp");
        List<String[]> runs = new ArrayList<>();
        for (String uri : List.of(wrongPw, remote)) {
            runs.add(new String[] {"info", uri});
            runs.add(new String[] {"verify", uri, rightPw});
            runs.add(new String[] {"copy", "--from", rightPw, "--to", uri});
            runs.add(new String[] {
                "export", "--from", uri, "--out", dir.resolve("never.cairnexp").toString()
            });
            runs.add(new String[] {
                "import", "--in", dir.resolve("missing.cairnexp").toString(), "--to", uri
            });
            runs.add(new String[] {"pack", uri, "--days", "1"});
        }
        StringBuilder all = new StringBuilder();
        for (String[] args : runs) {
            Run r = cairn(args);
            assertThat(r.exit()).as(r.out()).isNotZero();
            all.append(r.out());
        }
        Run info = cairn("info", rightPw);
        Run export = cairn("export", "--from", rightPw, "--out", exp.toString(), "-q");
        assertThat(export.exit()).as(export.out()).isZero();
        all.append(info.out())
                .append(export.out())
                .append(new String(Files.readAllBytes(exp), StandardCharsets.ISO_8859_1));
        assertThat(all.toString())
                .contains("***")
                .doesNotContain("WRONGPW4242")
                .doesNotContain("RIGHTPW4242")
                .doesNotContain("TOPSECRET4242")
                .doesNotContain("TLSPW4242");
    }

    // ---- 8 and 9: one line, the right exit code, the right advice -------------------------------

    @Test
    void ordinaryErrors_areOneLine_withExit1_or2ForBadArguments() throws Exception {
        cairn("info", "nosuch:/x").assertOneLineError(2);
        Run days =
                cairn("pack", "mem:" + dir.resolve("x.cairn"), "--days", "-1").assertOneLineError(2);
        assertThat(days.out()).contains("--days");
        Run before = cairn("pack", "mem:" + dir.resolve("x.cairn"), "--before", "yesterday")
                .assertOneLineError(2);
        assertThat(before.out()).contains("--before 'yesterday' is not a date");

        Path missing = dir.resolve("missing.fs");
        Run in = cairn("import", "--in", missing.toString(), "--to", "mem:" + dir.resolve("y.cairn"))
                .assertOneLineError(1);
        assertThat(in.out()).contains("cannot read " + missing + ": no such file");
        assertThat(dir.resolve("y.cairn")).doesNotExist();
        for (String format : List.of("cairn", "zodb-filestorage")) {
            Run given = cairn(
                            "import",
                            "--in",
                            missing.toString(),
                            "--format",
                            format,
                            "--to",
                            "mem:" + dir.resolve("y.cairn"))
                    .assertOneLineError(1);
            assertThat(given.out())
                    .contains("cannot read " + missing + ": no such file")
                    .doesNotContain(missing + ": " + missing);
        }

        Path f = memFile(TestHistories.random(9, 5, 2));
        try (Storage held = Storages.open("mem:" + f)) {
            Run locked = cairn("info", "mem:" + f).assertOneLineError(1);
            assertThat(locked.out()).contains("is already open");
        }
    }

    @Test
    void importIncremental_progressPercentage_countsOnlyThisRunsWork() {
        List<TransactionRecord> h = TestHistories.random(10, 40, 3);
        String dest = pg();
        fill(dest, h.subList(0, 30));
        Run r = cairnWith(
                List.of("-Dcairn.progress.records=1", "-Dcairn.progress.millis=3600000"),
                "import",
                "--in",
                exportOf(h, FileFormat.CAIRN).toString(),
                "--to",
                dest,
                "--incremental");
        assertThat(r.exit()).as(r.out()).isZero();
        List<String> lines =
                r.out().lines().filter(l -> l.matches("import: +\\d+% .*")).toList();
        assertThat(lines).as(r.out()).hasSize(10);
        // the first of the 10 transactions this run writes is about a tenth of its work, not 75% (the skipped part of
        // the file)
        int first = Integer.parseInt(lines.get(0).replaceAll("import: +(\\d+)%.*", "$1"));
        assertThat(first).as(r.out()).isLessThan(30);
        assertThat(Integer.parseInt(lines.get(9).replaceAll("import: +(\\d+)%.*", "$1")))
                .as(r.out())
                .isGreaterThanOrEqualTo(90);
    }

    @Test
    void cairnUri_onAPortThatIsNotACairnServer_saysSo() throws Exception {
        try (java.net.ServerSocket http = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(
                    () -> {
                        while (!http.isClosed()) {
                            try (java.net.Socket c = http.accept()) {
                                c.getOutputStream()
                                        .write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                                                .getBytes(StandardCharsets.US_ASCII));
                                c.getOutputStream().flush();
                                c.getInputStream().read(new byte[256]);
                            } catch (IOException closed) {
                                return;
                            }
                        }
                    },
                    "not-cairn");
            answering.setDaemon(true);
            answering.start();
            Run r = cairn("info", "cairn://127.0.0.1:" + http.getLocalPort() + "/main")
                    .assertOneLineError(1);
            assertThat(r.out()).contains("does not answer as a Cairn server").doesNotContain("--max-frame");
        }
    }

    @Test
    void postgresLogin_withoutPassword_saysThePasswordIsMissing() {
        String db = TestPostgres.get().newDatabase("admin_nopw");
        TestPostgres.get().createPasswordRole("admin_nopw", "SOMEPW", db);
        Run r = cairn("info", TestPostgres.get().uri("admin_nopw", null, db, ""))
                .assertOneLineError(1);
        assertThat(r.out())
                .contains("asks user 'admin_nopw' for a password, and the URI has none")
                .doesNotContain("is it running");
    }
}
