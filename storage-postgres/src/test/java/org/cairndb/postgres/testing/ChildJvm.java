package org.cairndb.postgres.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Starts a test's helper class in a JVM of its own (multi-process and crash tests), with the
 * test JVM's class path and the flags surefire exposes as {@code cairn.jvm.flags}. The child
 * gets its PostgreSQL as a {@code postgres://} URI among its arguments; it never starts one.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /** Starts {@code main} with {@code args}; its stdout and stderr go to {@code log}. */
    public static Process start(Class<?> main, Path log, String... args) {
        return start(main, log, false, args);
    }

    /**
     * Starts {@code main} with {@code args}, its stdout (and stderr) readable through
     * {@link Process#getInputStream()} and its stdin writable, for tests that talk to it.
     */
    public static Process startPiped(Class<?> main, String... args) {
        return start(main, null, true, args);
    }

    private static Process start(Class<?> main, Path log, boolean piped, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String flags = System.getProperty("cairn.jvm.flags", "");
        for (String f : flags.trim().split("\\s+")) if (!f.isEmpty()) cmd.add(f);
        cmd.add("-Xmx256m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (piped) {
            pb.redirectOutput(ProcessBuilder.Redirect.PIPE);
        } else if (log != null) {
            File f = log.toFile();
            if (f.getParentFile() != null) f.getParentFile().mkdirs();
            pb.redirectOutput(f);
        } else {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start child JVM for " + main.getName(), e);
        }
    }
}
