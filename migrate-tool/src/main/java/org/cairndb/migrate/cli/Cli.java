package org.cairndb.migrate.cli;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import org.cairndb.migrate.Progress;
import org.cairndb.migrate.progress.ConsoleProgress;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageException;
import org.cairndb.storage.uri.InvalidStorageUriException;
import org.cairndb.storage.uri.Secrets;
import org.cairndb.storage.uri.Storages;

/**
 * What the migrate commands share: opening storages, progress, and turning errors into one
 * clear line.
 *
 * <p>Opening: a storage a command only reads (info, verify, export --from, copy --from, pack)
 * is opened with {@link Storages#openExisting}, which creates nothing; only a destination
 * (copy --to, import --to) may be created. Every message goes through {@link Secrets#mask}.
 */
final class Cli {
    static final int OK = 0;
    static final int FAILED = 1;
    /** A bad argument: an unusable URI, option value or file name (picocli uses 2 for its own parse errors too). */
    static final int BAD_ARGUMENT = 2;
    /** Work stopped by Ctrl-C before the end (the destination is consistent). */
    static final int STOPPED = 130;

    private Cli() {}

    /** A bad argument value found after parsing (exit code 2). */
    static final class BadArgument extends IllegalArgumentException {
        BadArgument(String message) {
            super(message);
        }
    }

    /** Opens a destination: created if it does not exist. */
    static Storage open(String uri, String role) {
        return open(uri, role, true);
    }

    /** Opens a storage the command only reads: it must exist, and nothing is created. */
    static Storage openExisting(String uri, String role) {
        return open(uri, role, false);
    }

    private static Storage open(String uri, String role, boolean mayCreate) {
        try {
            return mayCreate ? Storages.open(uri) : Storages.openExisting(uri);
        } catch (InvalidStorageUriException e) {
            throw e;
        } catch (RuntimeException e) {
            String m = Secrets.message(e);
            // "storage 'mem:/x': /x does not exist" → "/x does not exist": the line names the storage already
            int named = m.startsWith("storage '") ? m.indexOf("': ") : -1;
            throw new StorageException(
                    "cannot open " + (role.isEmpty() ? "" : role + " ") + "storage " + Secrets.mask(uri) + ": "
                            + (named > 0 ? m.substring(named + 3) : m),
                    e);
        }
    }

    static Progress progress(PrintStream out, String label, boolean quiet) {
        return quiet ? Progress.NONE : ConsoleProgress.forConsole(out, label);
    }

    /** True when the stack trace of an error is wanted ({@code --verbose}, or -Dcairn.debug=true). */
    static boolean verbose() {
        return Boolean.getBoolean("cairn.verbose") || Boolean.getBoolean("cairn.debug");
    }

    /**
     * Runs a command body; a failure becomes one line "cairn NAME: error: message" (secrets
     * masked) and exit code 1, or 2 for a bad argument. The stack trace only with --verbose.
     */
    static int run(String command, PrintStream err, Callable<Integer> body) {
        try {
            return body.call();
        } catch (BadArgument | InvalidStorageUriException e) {
            return fail(command, err, e, Secrets.message(e), BAD_ARGUMENT);
        } catch (StorageException
                | IllegalArgumentException
                | IllegalStateException
                | UnsupportedOperationException
                | UncheckedIOException e) {
            return fail(command, err, e, Secrets.message(e), FAILED);
        } catch (Exception e) {
            return fail(
                    command,
                    err,
                    e,
                    e.getClass().getSimpleName() + ": " + Secrets.message(e)
                            + (verbose() ? "" : " (run again with --verbose for the details)"),
                    FAILED);
        }
    }

    private static int fail(String command, PrintStream err, Exception e, String message, int exit) {
        err.println("cairn " + command + ": error: " + message);
        if (verbose()) e.printStackTrace(err);
        return exit;
    }
}
