package org.cairndb.migrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.cairndb.migrate.Progress;
import org.cairndb.migrate.StopSignal;
import org.cairndb.migrate.StorageKind;
import org.cairndb.migrate.TestHistories;
import org.cairndb.migrate.Verifier;
import org.cairndb.migrate.VerifyResult;
import org.cairndb.storage.BulkRestore;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.Storage;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionRecord;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code cairn copy} in a child JVM between two PostgreSQL storages, killed with SIGKILL at
 * random points (when it has reported a random amount of progress), several rounds, each
 * resumed with {@code --incremental}; and stopped with SIGINT (Ctrl-C). After every round
 * the destination must be an exact prefix of the source (only whole transactions), and at
 * the end equal to it.
 */
class InterruptedCopyTest {
    static String sourceUri;
    static List<TransactionRecord> history;

    @BeforeAll
    static void fillSource() {
        sourceUri = StorageKind.PG_PRESERVING.freshUri();
        history = TestHistories.random(2026, 1200, 6);
        try (Storage s = Storages.open(sourceUri)) {
            ((BulkRestore) s).restoreBatch(history);
        }
    }

    /**
     * A job started in the background ({@code &}) or under nohup ignores SIGINT, and so do its
     * children: a JVM that starts with SIGINT ignored installs no handler, and Ctrl-C cannot
     * reach it. Through perl (when there is one) the child starts with SIGINT back at its
     * default, however this build was started; {@link #sigint} checks that it worked.
     */
    static final Path PERL = java.util.stream.Stream.of("/usr/bin/perl", "/bin/perl")
            .map(Path::of)
            .filter(java.nio.file.Files::isExecutable)
            .findFirst()
            .orElse(null);

    static Process startCopy(String to, int batch, long progressEveryRecords) {
        List<String> cmd = new ArrayList<>();
        if (PERL != null)
            cmd.addAll(List.of(PERL.toString(), "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die \"exec: $!\"", "--"));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String f : System.getProperty("cairn.jvm.flags", "").trim().split("\\s+")) if (!f.isEmpty()) cmd.add(f);
        cmd.addAll(List.of(
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-Dcairn.progress.records=" + progressEveryRecords,
                "-Dcairn.progress.millis=3600000",
                "-cp",
                System.getProperty("java.class.path"),
                MigrateCli.class.getName(),
                "copy",
                "--from",
                sourceUri,
                "--to",
                to,
                "--incremental",
                "--batch",
                String.valueOf(batch)));
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Asserts the destination holds exactly the source's first n transactions; returns n. */
    static int assertPrefix(String destUri) {
        int n = 0;
        try (Storage d = Storages.open(destUri);
                CloseableIterator<TransactionRecord> it = d.iterator(Tid.ZERO, Tid.MAX)) {
            while (it.hasNext()) {
                TransactionRecord t = it.next();
                assertThat(n)
                        .as("destination has more transactions than the source")
                        .isLessThan(history.size());
                assertThat(t).as("transaction %d of the destination", n).isEqualTo(history.get(n));
                n++;
            }
        }
        return n;
    }

    @Test
    void copy_killedWithSigkillAtRandomPoints_resumesIncrementallyToAnEqualCopy() throws Exception {
        String dest = StorageKind.PG_PRESERVING.freshUri();
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        int kills = 0;
        int before = 0;
        for (int round = 0; round < 4; round++) {
            Process p = startCopy(dest, 40, 25);
            int killAfterLines = 1 + rnd.nextInt(6);
            int lines = 0;
            boolean killed = false;
            StringBuilder out = new StringBuilder();
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.append(line).append('\n');
                    if (line.startsWith("copy: ") && line.contains("records/s") && ++lines == killAfterLines) {
                        p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no clean stop
                        killed = true;
                        break;
                    }
                }
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS))
                    .as("child ended; seed %d; output:%n%s", seed, out)
                    .isTrue();
            if (killed) {
                kills++;
                assertThat(p.exitValue()).isEqualTo(137);
            } else {
                assertThat(p.exitValue()).as("output:%n%s", out).isZero();
            }
            int now = assertPrefix(dest);
            assertThat(now).as("round %d, seed %d", round, seed).isGreaterThanOrEqualTo(before);
            before = now;
        }
        assertThat(kills)
                .as("seed %d: at least one copy was killed mid-way", seed)
                .isPositive();
        Process last = startCopy(dest, 500, 1_000_000);
        String out = new String(last.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(last.waitFor()).as(out).isZero();
        assertThat(assertPrefix(dest)).isEqualTo(history.size());
        try (Storage a = Storages.open(sourceUri);
                Storage b = Storages.open(dest)) {
            VerifyResult v = Verifier.compareAll(a, b, Progress.NONE, new StopSignal());
            assertThat(v.equal()).as(v.toString()).isTrue();
        }
    }

    @Test
    void copy_sigint_stopsCleanlyAfterWholeBatchAndSaysHowToContinue() throws Exception {
        String dest = StorageKind.PG_PRESERVING.freshUri();
        Process p = startCopy(dest, 20, 20);
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean sent = false;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (!sent && line.startsWith("copy: ") && line.contains("records/s")) {
                    sigint(p);
                    sent = true;
                }
            }
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = out.toString();
        assertThat(text).contains("stopped cleanly").contains("--incremental");
        int n = assertPrefix(dest);
        assertThat(n).isPositive().isLessThan(history.size());
    }

    /**
     * Ctrl-C for a child: SIGINT, after checking that the child does not ignore it (see
     * {@link #PERL}); when it does, the test is skipped, saying why, rather than failing.
     */
    static void sigint(Process p) throws Exception {
        Path status = Path.of("/proc/" + p.pid() + "/status");
        if (java.nio.file.Files.exists(status)) {
            String ign = java.nio.file.Files.readAllLines(status).stream()
                    .filter(l -> l.startsWith("SigIgn:"))
                    .findFirst()
                    .orElse("SigIgn: 0");
            boolean ignored = (Long.parseUnsignedLong(ign.substring(7).trim(), 16) & 0x2) != 0;
            if (ignored) {
                p.destroyForcibly();
                org.junit.jupiter.api.Assumptions.abort(
                        "this build runs with SIGINT ignored (started in the background or under nohup),"
                                + " and no perl was found to start the child with SIGINT restored: Ctrl-C cannot be tested here");
            }
        }
        Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start();
        assertThat(kill.waitFor()).isZero();
    }

    @Test
    void copyIntoMemFile_sigintSeveralTimes_alwaysStopsCleanlyAndSaysHowToContinue(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String dest = "mem:" + dir.resolve("dest.cairn");
        int before = 0;
        for (int round = 0; round < 4; round++) {
            Process p = startCopy(dest, 20, 20);
            StringBuilder out = new StringBuilder();
            boolean sent = false;
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.append(line).append('\n');
                    if (!sent && line.startsWith("copy: ") && line.contains("records/s")) {
                        sigint(p);
                        sent = true;
                    }
                }
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String text = out.toString();
            assertThat(text).as(text).doesNotContain("sized too small").doesNotContain("error");
            if (p.exitValue() == 130) {
                assertThat(text)
                        .contains("stopped cleanly")
                        .contains("run the same command with --incremental to continue");
            } else {
                assertThat(p.exitValue()).as(text).isZero(); // it ended before the signal came
            }
            int now = transactionsIn(dest);
            assertThat(now).isGreaterThanOrEqualTo(before);
            before = now;
        }
        Process last = startCopy(dest, 500, 1_000_000);
        String out = new String(last.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(last.waitFor()).as(out).isZero();
        assertThat(transactionsIn(dest)).isEqualTo(history.size());
        try (Storage a = Storages.open(sourceUri);
                Storage b = Storages.open(dest)) {
            VerifyResult v = Verifier.compareCurrent(a, b, Progress.NONE, new StopSignal());
            assertThat(v.equal()).as(v.toString()).isTrue();
        }
    }

    /** How many of the source's transactions a current-state destination holds: its last tid must be one of the source's. */
    static int transactionsIn(String destUri) {
        try (Storage d = Storages.open(destUri)) {
            long last = d.lastTid();
            if (last == Tid.ZERO) return 0;
            for (int i = 0; i < history.size(); i++) if (history.get(i).tid() == last) return i + 1;
        }
        throw new AssertionError("the destination's last tid is not one of the source's");
    }
}
