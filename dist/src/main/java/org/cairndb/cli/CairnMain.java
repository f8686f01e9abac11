package org.cairndb.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point behind {@code bin/cairn}. Each subcommand is a picocli command that
 * lives in the module it belongs to (the server's {@code serve}, the migrate tool's
 * {@code copy}...); this class only gathers them, by class name, so that a module's
 * commands appear as soon as the module is built.
 */
@Command(name = "cairn", mixinStandardHelpOptions = true, version = "Cairn 0.1.0",
        description = "Cairn, a transactional object database for Java.%n",
        commandListHeading = "%nCommands:%n")
public final class CairnMain {

    /** Subcommand name → picocli command class, in the order help lists them. */
    static final Map<String, String> COMMANDS = new LinkedHashMap<>();
    static {
        COMMANDS.put("demo", "org.cairndb.examples.DemoCommand");
        COMMANDS.put("serve", "org.cairndb.server.cli.ServeCommand");
        COMMANDS.put("status", "org.cairndb.server.cli.StatusCommand");
        COMMANDS.put("copy", "org.cairndb.migrate.cli.CopyCommand");
        COMMANDS.put("export", "org.cairndb.migrate.cli.ExportCommand");
        COMMANDS.put("import", "org.cairndb.migrate.cli.ImportCommand");
        COMMANDS.put("verify", "org.cairndb.migrate.cli.VerifyCommand");
        COMMANDS.put("pack", "org.cairndb.migrate.cli.PackCommand");
        COMMANDS.put("info", "org.cairndb.migrate.cli.InfoCommand");
        COMMANDS.put("bench", "org.cairndb.bench.BenchCommand");
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new CairnMain());
        for (Map.Entry<String, String> e : COMMANDS.entrySet()) {
            try {
                Class<?> c = Class.forName(e.getValue());
                CommandLine sub = new CommandLine(c);
                if (e.getKey().equals("bench")) {
                    // scenarios are gathered by the bench command itself
                    c.getMethod("addScenarios", CommandLine.class).invoke(null, sub);
                }
                cl.addSubcommand(e.getKey(), sub);
            } catch (ClassNotFoundException notBuiltYet) {
                // the module providing this command is not part of this build
            } catch (ReflectiveOperationException e2) {
                throw new IllegalStateException("cannot set up command " + e.getKey(), e2);
            }
        }
        return cl;
    }
}
