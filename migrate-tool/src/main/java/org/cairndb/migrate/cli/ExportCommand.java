package org.cairndb.migrate.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cairndb.migrate.Exporter;
import org.cairndb.migrate.FileFormat;
import org.cairndb.migrate.TransferOptions;
import org.cairndb.migrate.TransferResult;
import org.cairndb.storage.Storage;
import org.cairndb.storage.Tid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cairn export --from URI --out FILE [--format cairn|zodb-filestorage]}. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Writes every transaction of a storage to a file: Cairn's export format (versioned, checksummed, compressed;"
                    + " see docs/export-format.md) or a ZODB FileStorage (Data.fs, FS30) that Python ZODB opens.",
            "Memory stays flat whatever the size. Ctrl-C ends the file cleanly after the current transaction."
        },
        footer = {
            "%nExamples:",
            "  cairn export --from postgres://cairn@db/cairn --out main.cairnexp",
            "  cairn export --from mem:/var/cairn/main.cairn --out Data.fs --format zodb-filestorage"
        })
public final class ExportCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "URI", description = "Storage to export.")
    String from;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "File to create (never overwritten).")
    Path out;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "cairn",
            converter = FormatConverter.class,
            description = "cairn or zodb-filestorage. Default: ${DEFAULT-VALUE}.")
    FileFormat format;

    @Option(
            names = "--allow-foreign-records",
            description = "With --format zodb-filestorage: also write records of Cairn's object layer"
                    + " (Kryo, not pickles), which Python ZODB cannot load. Without it such a record stops the export.")
    boolean allowForeignRecords;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress output.")
    boolean quiet;

    @Override
    public Integer call() {
        return Cli.run("export", System.err, () -> {
            try (CleanStop stop = new CleanStop("export");
                    Storage src = Cli.openExisting(from, "source")) {
                TransferOptions o = TransferOptions.defaults()
                        .withProgress(Cli.progress(System.out, "export", quiet))
                        .withStop(stop.signal);
                TransferResult r = Exporter.export(src, out, format, o, allowForeignRecords);
                if (quiet) System.out.println("export: " + (r.stopped() ? "stopped cleanly: " : "done: ") + r);
                if (r.stopped()) {
                    System.out.println("export: " + out + " is a complete file holding the transactions up to "
                            + Tid.describe(r.lastTid()) + " only; the export was stopped before the end");
                    return Cli.STOPPED;
                }
                return Cli.OK;
            }
        });
    }
}
