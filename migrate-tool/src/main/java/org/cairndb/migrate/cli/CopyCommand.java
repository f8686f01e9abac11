package org.cairndb.migrate.cli;

import java.util.concurrent.Callable;
import org.cairndb.migrate.Copier;
import org.cairndb.migrate.TransferResult;
import org.cairndb.storage.Storage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cairn copy --from URI --to URI [--incremental]}. */
@Command(
        name = "copy",
        mixinStandardHelpOptions = true,
        description = {
            "Copies every transaction of one storage into another, in tid order, keeping tids, metadata and record bytes.",
            "Ctrl-C stops after the current transaction (or batch); run again with --incremental to continue."
        },
        footer = {
            "%nExamples:",
            "  cairn copy --from mem:/var/cairn/main.cairn --to postgres://cairn@db:5432/cairn",
            "  cairn copy --from postgres://cairn@db/cairn --to mem:/backup/main.cairn --incremental"
        })
public final class CopyCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "URI", description = "Source storage URI.")
    String from;

    @Option(
            names = "--to",
            required = true,
            paramLabel = "URI",
            description = "Destination storage URI (empty, unless --incremental).")
    String to;

    @Option(
            names = "--incremental",
            description = "Continue after the destination's last tid (safe to re-run after any interruption).")
    boolean incremental;

    @Mixin
    BatchedTransfer transfer;

    @Override
    public Integer call() {
        return Cli.run("copy", System.err, () -> {
            try (CleanStop stop = new CleanStop("copy");
                    Storage src = Cli.openExisting(from, "source");
                    Storage dst = Cli.open(to, "destination")) {
                TransferResult r = Copier.copy(src, dst, transfer.options("copy", incremental, stop));
                return transfer.finish("copy", r, dst);
            }
        });
    }
}
