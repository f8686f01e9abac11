package org.cairndb.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.conformance.Records;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real child JVM commits multi-record transactions into {@code mem:/file} and is killed
 * with SIGKILL ({@code kill -KILL pid}) after a random number of
 * finished transactions, so the kill lands at a random point of its commit loop, most often
 * inside finish. After each kill the file is reopened: every record must hold the same value
 * (whole transactions only), and that value must be at least the last one the child reported
 * finished (no finished transaction lost) and at most one more (the one in flight).
 */
class MappingCrashTest {
    /** Large transactions, so that a good share of each commit is spent changing the map. */
    private static final int RECORDS = 2000;

    @TempDir
    Path dir;

    @Test
    void kill9DuringCommits_reopenShowsWholeTransactionsOnly() throws Exception {
        int rounds = Boolean.getBoolean("cairn.exhaustive") ? 25 : 3;
        Path file = dir.resolve("crash.cairn");
        Random random = new Random(Long.getLong("cairn.seed", System.nanoTime()));
        long next = 1;
        for (int round = 0; round < rounds; round++) {
            int killAfter = 1 + random.nextInt(40);
            Process child = start(file, next);
            long lastFinished = -1;
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line = out.readLine();
                assertThat(line)
                        .as("child's first line (stderr: see test output)")
                        .startsWith("READY");
                int seen = 0;
                while (seen < killAfter && (line = out.readLine()) != null) {
                    if (line.startsWith("FINISHED ")) {
                        lastFinished = Long.parseLong(line.substring(9));
                        seen++;
                    }
                }
                // SIGKILL through kill(1): Process.destroyForcibly() would also close our end of
                // the pipe, losing FINISHED lines the child printed just before it died.
                int rc = new ProcessBuilder("kill", "-KILL", String.valueOf(child.pid()))
                        .inheritIO()
                        .start()
                        .waitFor();
                assertThat(rc).as("kill -KILL %d", child.pid()).isZero();
                child.waitFor();
                // lines printed between our last read and the kill are finished transactions too
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("FINISHED ")) lastFinished = Long.parseLong(line.substring(9));
                }
            }
            assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
            long value = verify(file);
            assertThat(value)
                    .as("round %d: value after reopen vs last reported finished", round)
                    .isBetween(lastFinished, lastFinished + 1);
            next = value + 1;
        }
    }

    /** Reopens the file; all records equal; returns their value. */
    private static long verify(Path file) {
        try (MappingStorage s = MappingStorage.persisted("verify", file, 10_000, 64)) {
            long[] values = new long[RECORDS];
            for (int oid = 1; oid <= RECORDS; oid++) {
                try {
                    values[oid - 1] = Records.counterValue(s.load(oid).data());
                } catch (PosKeyException never) {
                    values[oid - 1] = 0;
                }
            }
            System.out.println("reopen after kill: " + s.redoneAtOpen() + " records completed from the journal");
            long first = values[0];
            assertThat(values)
                    .as("records after reopen: %s", Arrays.toString(values))
                    .containsOnly(first);
            return first;
        }
    }

    private static Process start(Path file, long firstValue) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String f : System.getProperty("cairn.jvm.flags", "").trim().split("\\s+")) if (!f.isBlank()) cmd.add(f);
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(CrashChild.class.getName());
        cmd.add(file.toString());
        cmd.add(String.valueOf(RECORDS));
        cmd.add(String.valueOf(firstValue));
        return new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }
}
