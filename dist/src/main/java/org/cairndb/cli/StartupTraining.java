package org.cairndb.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The training run behind the distribution launcher's class-data-sharing archive
 * (dist/src/dist/bin/cairn runs it once per Java runtime with
 * {@code -XX:ArchiveClassesAtExit}): runs, in this one JVM, the commands whose start-up
 * matters to admins, so that the classes they load are in the archive: {@code --help},
 * {@code info} of a new small {@code mem:} file (creating it), {@code info} of it again
 * (opening an existing file takes other paths in Chronicle Map) and {@code info mem:}. Their
 * output is dropped; the file lives in a temporary directory removed at the end.
 */
public final class StartupTraining {

    private StartupTraining() {}

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("cairn-startup-training");
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            String file = "mem:" + dir.resolve("training.cairn") + "?entries=1000";
            run("--help");
            run("info", file);
            run("info", file);
            run("info", "mem:");
        } finally {
            System.setOut(out);
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void run(String... args) {
        int exit = CairnMain.commandLine(args).execute(args);
        if (exit != 0) {
            throw new IllegalStateException("training command failed (" + exit + "): cairn " + String.join(" ", args));
        }
    }
}
