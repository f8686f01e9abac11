package org.cairndb.tasks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;

/**
 * One thread with one connection of the database, for the queue's own reads and writes
 * (status, listings, cancel, retry, prune, and the checks behind {@code await}): connections
 * belong to one thread, and these calls come from any thread. Each call starts on the
 * latest committed state.
 */
final class Session implements AutoCloseable {
    private final ExecutorService thread;
    private final Database db;
    private Connection conn; // used by the session thread only

    Session(Database db, String name) {
        this.db = db;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cairn-tasks-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    private Connection conn() {
        if (conn == null || conn.isClosed()) conn = db.open();
        return conn;
    }

    /** Reads in a fresh read-only transaction. */
    <T> T read(Function<Connection, T> work) {
        return join(readAsync(work));
    }

    <T> CompletableFuture<T> readAsync(Function<Connection, T> work) {
        return CompletableFuture.supplyAsync(
                () -> {
                    Connection c = conn();
                    c.transactionManager().beginReadOnly();
                    try {
                        return work.apply(c);
                    } finally {
                        c.transactionManager().abort();
                    }
                },
                thread);
    }

    /** Runs {@code work} in a transaction of its own, retried on conflicts, and commits it. */
    <T> T write(Function<Connection, T> work) {
        return join(CompletableFuture.supplyAsync(
                () -> {
                    Connection c = conn();
                    return c.transactionManager().run(10, () -> work.apply(c));
                },
                thread));
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the task queue", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException(c.getMessage(), c);
        }
    }

    @Override
    public void close() {
        thread.submit(() -> {
            if (conn != null && !conn.isClosed()) {
                conn.transactionManager().abort();
                conn.close();
            }
        });
        thread.shutdown();
    }
}
