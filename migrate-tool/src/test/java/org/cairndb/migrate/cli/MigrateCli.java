package org.cairndb.migrate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The migrate commands as the launcher gathers them (dist's CairnMain does the same by class
 * name), for tests in this module: in-process through {@link #run}, or as the main class of
 * a child JVM that a test kills.
 */
@Command(
        name = "cairn",
        subcommands = {
            CopyCommand.class,
            ExportCommand.class,
            ImportCommand.class,
            VerifyCommand.class,
            PackCommand.class,
            InfoCommand.class
        })
public final class MigrateCli {
    public static CommandLine commandLine() {
        return new CommandLine(new MigrateCli());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
