package org.cairndb.migrate.cli;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import org.cairndb.migrate.Progress;
import org.cairndb.migrate.progress.ConsoleProgress;
import org.cairndb.storage.StorageException;
import org.cairndb.storage.uri.InvalidStorageUriException;
import org.cairndb.storage.uri.Storages;
import org.cairndb.storage.Storage;

/** What the migrate commands share: opening storages, progress, and turning errors into one clear line. */
final class Cli {
    static final int OK = 0;
    static final int FAILED = 1;
    /** Work stopped by Ctrl-C before the end (the destination is consistent). */
    static final int STOPPED = 130;

    private Cli() {}

    static Storage open(String uri, String role) {
        try {
            return Storages.open(uri);
        } catch (InvalidStorageUriException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StorageException("cannot open " + role + " storage " + uri + ": " + e.getMessage(), e);
        }
    }

    static Progress progress(PrintStream out, String label, boolean quiet) {
        return quiet ? Progress.NONE : ConsoleProgress.forConsole(out, label);
    }

    /** Runs a command body; an expected failure becomes "cairn NAME: error: message" and exit code 1. */
    static int run(String command, PrintStream err, Callable<Integer> body) {
        try {
            return body.call();
        } catch (StorageException | IllegalArgumentException | IllegalStateException | UnsupportedOperationException | UncheckedIOException e) {
            err.println("cairn " + command + ": error: " + e.getMessage());
            if (Boolean.getBoolean("cairn.debug")) e.printStackTrace(err);
            return FAILED;
        } catch (Exception e) {
            err.println("cairn " + command + ": unexpected error: " + e);
            e.printStackTrace(err);
            return FAILED;
        }
    }
}
