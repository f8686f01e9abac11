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

    static Process startCopy(String to, int batch, long progressEveryRecords) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String f : System.getProperty("cairn.jvm.flags", "").trim().split("\\s+")) if (!f.isEmpty()) cmd.add(f);
        cmd.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dcairn.progress.records=" + progressEveryRecords, "-Dcairn.progress.millis=3600000",
                "-cp", System.getProperty("java.class.path"), MigrateCli.class.getName(),
                "copy", "--from", sourceUri, "--to", to, "--incremental", "--batch", String.valueOf(batch)));
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Asserts the destination holds exactly the source's first n transactions; returns n. */
    static int assertPrefix(String destUri) {
        int n = 0;
        try (Storage d = Storages.open(destUri); CloseableIterator<TransactionRecord> it = d.iterator(Tid.ZERO, Tid.MAX)) {
            while (it.hasNext()) {
                TransactionRecord t = it.next();
                assertThat(n).as("destination has more transactions than the source").isLessThan(history.size());
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
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
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
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child ended; seed %d; output:%n%s", seed, out).isTrue();
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
        assertThat(kills).as("seed %d: at least one copy was killed mid-way", seed).isPositive();
        Process last = startCopy(dest, 500, 1_000_000);
        String out = new String(last.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(last.waitFor()).as(out).isZero();
        assertThat(assertPrefix(dest)).isEqualTo(history.size());
        try (Storage a = Storages.open(sourceUri); Storage b = Storages.open(dest)) {
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
                    Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start();
                    assertThat(kill.waitFor()).isZero();
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
}
