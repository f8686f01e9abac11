package org.cairndb.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

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
        System.exit(commandLine(args).execute(args));
    }

    /** Every command built in full. */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command line for these arguments ({@code null}: for any). Only the command they name
     * is built in full; the others are listed by name and description, read from their
     * {@code @Command} annotation, because building every command's model (reflection over
     * all their options and the classes those name) was most of {@code cairn --help}'s time.
     */
    static CommandLine commandLine(String[] args) {
        String named = args == null ? null : commandNamedIn(args);
        CommandLine cl = new CommandLine(new CairnMain());
        for (Map.Entry<String, String> e : COMMANDS.entrySet()) {
            try {
                if (args != null && !e.getKey().equals(named)) {
                    cl.addSubcommand(e.getKey(), listedOnly(e.getKey(), e.getValue()));
                    continue;
                }
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

    /** The first argument that is not an option: the command picocli will run. */
    private static String commandNamedIn(String[] args) {
        for (String a : args) {
            if (!a.startsWith("-")) {
                return a;
            }
        }
        return null;
    }

    /** A command for the list in {@code cairn --help} only; loads its class, not its model. */
    private static CommandLine listedOnly(String name, String className) throws ClassNotFoundException {
        Command about = Class.forName(className, false, CairnMain.class.getClassLoader()).getAnnotation(Command.class);
        CommandSpec spec = CommandSpec.create().name(name);
        if (about != null) {
            spec.usageMessage().header(about.header()).description(about.description());
        }
        return new CommandLine(spec);
    }
}
