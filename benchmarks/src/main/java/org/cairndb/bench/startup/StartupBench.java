package org.cairndb.bench.startup;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn bench startup}: how long an admin waits for the {@code cairn} command, as
 * child processes of the launcher, measured from process start to exit: {@code cairn --help},
 * {@code cairn info mem:FILE} of an existing database file (written once before by
 * {@code cairn demo}, default sizing), and beside them a bare JVM start ({@code java -version}
 * of the same runtime), the floor no launcher can go below on this machine. The three run
 * interleaved for several rounds after one warm-up round (which also lets the distribution's
 * launcher write its class-data-sharing archive), so load on a shared machine spreads over all
 * three alike; the results are medians.
 *
 * <p>{@code --compare LAUNCHER} times other launchers in the same rounds (their medians are
 * printed above the last line), so that a before and an after see the same machine load.
 *
 * <p>Last line (the first launcher's numbers): {@code RESULT name=startup help_ms=... info_ms=... jvm_ms=... rounds=...
 * load=... launcher=...} ({@code load}: the 1-minute load average before the rounds).
 */
@Command(
        name = "startup",
        mixinStandardHelpOptions = true,
        description = "Times cairn --help, cairn info of a mem: file and a bare JVM start as child processes; "
                + "last line RESULT name=startup help_ms=... info_ms=... jvm_ms=...")
public final class StartupBench implements Callable<Integer> {

    @Option(names = "--launcher", description = "the cairn launcher to time (default: the one running this bench)")
    String launcher;

    @Option(
            names = "--compare",
            paramLabel = "LAUNCHER",
            description = "another launcher timed in the same rounds (e.g. an older build's bin/cairn); repeatable")
    List<String> compare = List.of();

    @Option(names = "--rounds", defaultValue = "9", description = "measured rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(
            names = "--file",
            description =
                    "an existing mem: database file for info (default: one written by cairn demo in a temporary directory)")
    Path file;

    @Override
    public Integer call() throws IOException, InterruptedException {
        String cairn = launcher != null ? launcher : System.getProperty("cairn.launcher");
        if (cairn == null || !new File(cairn).canExecute()) {
            System.err.println(
                    "startup bench: no launcher to time; run it as `cairn bench startup` or give --launcher PATH (got "
                            + cairn + ")");
            return 2;
        }
        if (rounds < 1) {
            System.err.println("startup bench: --rounds must be at least 1 (got " + rounds + ")");
            return 2;
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path tmp = Files.createTempDirectory("cairn-bench-startup");
        try {
            Path db = file;
            if (db == null) {
                db = tmp.resolve("startup.cairn");
                time(tmp, cairn, "demo", "--uri", "mem:" + db, "--books", "5", "--views", "50");
            }
            List<List<String>> commands = new ArrayList<>();
            List<String> names = new ArrayList<>();
            List<String> launchers = new ArrayList<>(List.of(cairn));
            launchers.addAll(compare);
            for (int l = 0; l < launchers.size(); l++) {
                String suffix = l == 0 ? "" : "#" + l;
                commands.add(List.of(launchers.get(l), "--help"));
                names.add("help" + suffix);
                commands.add(List.of(launchers.get(l), "info", "mem:" + db));
                names.add("info" + suffix);
            }
            commands.add(List.of(java, "-version"));
            names.add("jvm");
            for (List<String> c : commands) {
                time(tmp, c.toArray(new String[0])); // warm-up (and the launcher's CDS archive)
            }
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            long[][] ms = new long[commands.size()][rounds];
            for (int r = 0; r < rounds; r++) {
                StringBuilder line = new StringBuilder("round " + (r + 1) + ":");
                for (int i = 0; i < commands.size(); i++) {
                    ms[i][r] = time(tmp, commands.get(i).toArray(new String[0]));
                    line.append(' ').append(names.get(i)).append('=').append(ms[i][r]);
                }
                System.out.println(line + " (ms)");
            }
            int jvm = commands.size() - 1;
            for (int l = launchers.size() - 1; l >= 0; l--) {
                System.out.printf(
                        Locale.ROOT,
                        "%s: medians of %d rounds: cairn --help %d ms, cairn info %d ms%n",
                        l == 0 ? launchers.get(l) : "#" + l + " " + launchers.get(l),
                        rounds,
                        median(ms[2 * l]),
                        median(ms[2 * l + 1]));
            }
            System.out.printf(
                    Locale.ROOT,
                    "bare JVM (java -version) %d ms; load average %.2f before the rounds, %d cores%n",
                    median(ms[jvm]),
                    load,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf(
                    Locale.ROOT,
                    "RESULT name=startup help_ms=%d info_ms=%d jvm_ms=%d rounds=%d load=%.2f launcher=%s%n",
                    median(ms[0]),
                    median(ms[1]),
                    median(ms[jvm]),
                    rounds,
                    load,
                    cairn);
            return 0;
        } catch (ChildFailed e) {
            System.err.println("startup bench: " + e.getMessage());
            return 1;
        } finally {
            try (Stream<Path> paths = Files.walk(tmp)) {
                for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Runs the command in dir to its end, output discarded; its wall time in ms. */
    private static long time(Path dir, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("stderr.log").toFile());
        long start = System.nanoTime();
        Process p = pb.start();
        int exit = p.waitFor();
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (exit != 0) {
            String err = Files.readString(dir.resolve("stderr.log")).strip();
            String last = err.isEmpty() ? "" : err.substring(err.lastIndexOf('\n') + 1);
            throw new ChildFailed(
                    String.join(" ", command) + " failed with exit " + exit + (last.isEmpty() ? "" : ": " + last));
        }
        return ms;
    }

    /** A timed command did not succeed; the bench stops with its last line of stderr. */
    private static final class ChildFailed extends RuntimeException {
        ChildFailed(String message) {
            super(message);
        }
    }

    private static long median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
