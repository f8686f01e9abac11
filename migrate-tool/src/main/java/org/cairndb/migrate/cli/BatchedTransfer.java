package org.cairndb.migrate.cli;

import org.cairndb.migrate.TransferOptions;
import org.cairndb.migrate.TransferResult;
import org.cairndb.storage.Storage;
import org.cairndb.storage.Tid;
import picocli.CommandLine.Option;

/**
 * The options and the ending shared by the commands that write transactions into a
 * destination storage ({@code copy}, {@code import}): batch size, quiet, and what to say
 * when the run was stopped part-way (how to continue).
 */
final class BatchedTransfer {
    @Option(
            names = "--batch",
            paramLabel = "RECORDS",
            defaultValue = "10000",
            description =
                    "Records per batch for destinations that restore in batches (PostgreSQL COPY). Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress output.")
    boolean quiet;

    TransferOptions options(String command, boolean incremental, CleanStop stop) {
        return new TransferOptions(incremental, batch, Cli.progress(System.out, command, quiet), stop.signal);
    }

    /** Prints the outcome (progress printed it already unless quiet) and how to continue a stopped run. */
    int finish(String command, TransferResult r, Storage destination) {
        if (quiet) System.out.println(command + ": " + (r.stopped() ? "stopped cleanly: " : "done: ") + r);
        if (!r.stopped()) return Cli.OK;
        System.out.println(command + ": the destination holds every transaction up to "
                + Tid.describe(destination.lastTid()) + "; run the same command with --incremental to continue");
        return Cli.STOPPED;
    }
}
