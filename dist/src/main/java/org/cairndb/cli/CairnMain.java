package org.cairndb.cli;

import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cairndb.storage.StorageException;
import org.cairndb.storage.uri.InvalidStorageUriException;
import org.cairndb.storage.uri.Secrets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The one entry point behind {@code bin/cairn}. Each subcommand is a picocli command that
 * lives in the module it belongs to (the server's {@code serve}, the migrate tool's
 * {@code copy}...); this class only gathers them, by class name, so that a module's
 * commands appear as soon as the module is built.
 *
 * <p>Errors: whatever a command throws becomes one line, {@code cairn NAME: error: what was
 * wrong}, with secrets masked ({@link Secrets}) and exit code 1; a bad argument gives one line
 * and exit code 2. The stack trace, and the log lines of libraries beneath (Chronicle Map's
 * recovery chatter), appear only with {@code --verbose}, accepted anywhere on the line.
 */
@Command(
        name = "cairn",
        mixinStandardHelpOptions = true,
        version = "Cairn 0.1.0",
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
        COMMANDS.put("tasks", "org.cairndb.tasks.cli.TasksCommand");
        COMMANDS.put("bench", "org.cairndb.bench.BenchCommand");
    }

    /** Exit code of an error, and of a bad argument (picocli's own). */
    static final int FAILED = 1, BAD_ARGUMENT = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line; --verbose anywhere before "--" turns on stack traces and library logs. */
    static int run(String[] args) {
        List<String> rest = new ArrayList<>();
        boolean verbose = false, literal = false;
        for (String a : args) {
            if (!literal && a.equals("--verbose")) {
                verbose = true;
                continue;
            }
            if (a.equals("--")) literal = true;
            rest.add(a);
        }
        if (verbose) System.setProperty("cairn.verbose", "true");
        // read by CliLogging: Chronicle Map's warnings (e.g. its recovery notes) only when asked for
        System.setProperty("cairn.library.log", verbose ? "INFO" : "OFF");
        // a JDK System.Logger line (a storage saying what it recovered) as one line
        System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
        boolean stackTraces = verbose;
        String[] command = rest.toArray(String[]::new);
        CommandLine cl = commandLine(command);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            err.println("cairn " + cmd.getCommandName() + ": error: " + describe(ex, stackTraces));
            if (stackTraces) ex.printStackTrace(err);
            err.flush();
            for (Throwable t = ex; t != null; t = t.getCause())
                if (t instanceof InvalidStorageUriException) return BAD_ARGUMENT;
            return FAILED;
        });
        cl.setParameterExceptionHandler((ex, badArgs) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            String name = cmd.getCommandSpec().qualifiedName();
            err.println(name + ": " + Secrets.mask(ex.getMessage()) + "; see '" + name + " --help'");
            if (stackTraces) ex.printStackTrace(err);
            err.flush();
            return BAD_ARGUMENT;
        });
        return cl.execute(command);
    }

    /** One line for an error a command threw: what was wrong and, for the usual ones, what to do. */
    static String describe(Throwable ex, boolean verbose) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof IllegalArgumentException && m.startsWith("port out of range")) {
                return "port " + m.substring(m.indexOf(':') + 1).trim()
                        + " is out of range: use a port from 1 to 65535 (0: any free port)";
            }
            if (t instanceof BindException) {
                return Secrets.mask(ex == t ? m : Secrets.message(ex));
            }
            if (t instanceof NoSuchFileException f) return "no such file: " + f.getFile() + "; check the path";
            if (t instanceof AccessDeniedException f) return "permission denied: " + f.getFile();
            if (t instanceof FileSystemException f && t == ex) return f.getFile() + ": " + f.getReason();
        }
        if (ex instanceof StorageException
                || ex instanceof IllegalArgumentException
                || ex instanceof IllegalStateException) {
            return Secrets.message(ex);
        }
        return ex.getClass().getSimpleName() + ": " + Secrets.message(ex) + (verbose ? "" : " (--verbose shows where)");
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
        Command about = Class.forName(className, false, CairnMain.class.getClassLoader())
                .getAnnotation(Command.class);
        CommandSpec spec = CommandSpec.create().name(name);
        if (about != null) {
            spec.usageMessage().header(about.header()).description(about.description());
        }
        return new CommandLine(spec);
    }
}
