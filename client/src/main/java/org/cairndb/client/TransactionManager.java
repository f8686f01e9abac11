package org.cairndb.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.cairndb.storage.ReadOnlyException;
import org.cairndb.storage.RetryableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread-bound transactions over the connections a thread opened: {@link #begin()},
 * {@link #commit()}, {@link #abort()}, savepoints, read-only transactions, commit hooks, and
 * {@link #run(int, Work)} which retries work that met a conflict.
 *
 * <h2>Design</h2>
 * Each thread has its own current {@link Transaction}; there always is one (a thread that
 * never called begin works in an implicit one, as in ZODB). The connections a thread opened
 * are registered with that thread: commit writes their changes with two-phase commit across
 * every storage they touched (all stores, then every vote in a fixed order of storage names
 * so two committers never wait for each other's locks in opposite order, then every
 * finish); commit and abort end with every connection synced to the storages' latest state.
 *
 * <h2>Retries</h2>
 * {@link #run} retries on any {@link RetryableException} (write and read conflicts, a lost
 * server) at once: the abort syncs every connection, so the next attempt already sees the
 * winner's commit. Sleeping between attempts would only add latency; a conflict means the
 * other transaction has already finished.
 */
public final class TransactionManager {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionManager.class);

    private final ThreadLocal<ThreadState> state = ThreadLocal.withInitial(ThreadState::new);
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();

    /** Work run inside a transaction; may throw. */
    @FunctionalInterface
    public interface Work<T> {
        T call() throws Exception;
    }

    /** Work without a result. */
    @FunctionalInterface
    public interface VoidWork {
        void run() throws Exception;
    }

    private static final class ThreadState {
        final List<Connection> connections = new ArrayList<>();
        Transaction txn = new Transaction(false);
    }

    public TransactionManager() {}

    /** The calling thread's current transaction. */
    public Transaction current() {
        return state.get().txn;
    }

    /** Starts a new transaction on this thread (abandoning an unfinished one) on fresh snapshots. */
    public Transaction begin() {
        return start(false);
    }

    /** Starts a read-only transaction: changing an object or committing is refused. End it with {@link #abort()}. */
    public Transaction beginReadOnly() {
        return start(true);
    }

    private Transaction start(boolean readOnly) {
        ThreadState ts = state.get();
        boolean dirty = false;
        for (Connection c : ts.connections) dirty |= c.hasChanges();
        if (dirty) {
            LOG.debug("begin() abandons the uncommitted changes of the previous transaction");
            finish(ts, false);
        } else {
            for (Connection c : ts.connections) c.sync();
        }
        ts.txn = new Transaction(readOnly);
        return ts.txn;
    }

    /**
     * Commits the calling thread's transaction: every change of every connection of this
     * thread, atomically per storage and with two-phase commit across storages.
     *
     * @throws org.cairndb.storage.ConflictException     a write conflict no resolver could merge
     * @throws org.cairndb.storage.ReadConflictException an object checked with readCurrent changed
     * @throws ReadOnlyException                         inside a read-only transaction
     */
    public void commit() {
        ThreadState ts = state.get();
        Transaction txn = ts.txn;
        if (txn.isReadOnly()) {
            throw new ReadOnlyException("commit() called in a read-only transaction (begun with beginReadOnly());"
                    + " it cannot write: end it with abort(), and use begin() for work that changes objects");
        }
        List<Jar> jars = new ArrayList<>();
        try {
            for (int i = 0; i < txn.beforeCommit.size(); i++) txn.beforeCommit.get(i).run();
            for (Connection c : ts.connections) jars.addAll(c.committingJars());
            for (Jar j : jars) j.tpcBegin(txn.metadata());
            List<Jar> ordered = new ArrayList<>(jars);
            ordered.sort(Comparator.comparing((Jar j) -> j.storage.name()).thenComparing(j -> j.mount));
            for (Jar j : ordered) j.vote();
            for (Jar j : ordered) j.finish();
        } catch (RuntimeException | Error e) {
            for (Jar j : jars) {
                try {
                    j.tpcAbort();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            finish(ts, false);
            throw e;
        }
        if (!jars.isEmpty()) commits.incrementAndGet();
        finish(ts, true);
    }

    /** Abandons the calling thread's transaction: changed objects go back to their committed state. */
    public void abort() {
        finish(state.get(), false);
    }

    private void finish(ThreadState ts, boolean committed) {
        Transaction txn = ts.txn;
        RuntimeException first = null;
        for (Connection c : ts.connections) {
            try {
                c.afterCompletion(committed);
            } catch (RuntimeException e) {
                if (first == null) first = e; else first.addSuppressed(e);
            }
        }
        ts.txn = new Transaction(false);
        for (Consumer<Boolean> hook : txn.afterCommit) {
            try {
                hook.accept(committed);
            } catch (RuntimeException e) {
                LOG.warn("after-commit hook {} failed (the transaction {} regardless)", hook, committed ? "committed" : "did not commit", e);
            }
        }
        if (first != null) throw first;
    }

    /** Marks a point in the current transaction to roll back to. */
    public Savepoint savepoint() {
        ThreadState ts = state.get();
        Map<Connection, Map<String, Map<Long, byte[]>>> states = new LinkedHashMap<>();
        for (Connection c : ts.connections) states.put(c, c.savepoint());
        return new Savepoint(this, ts.txn, states);
    }

    /**
     * Runs {@code work} in a transaction and commits it; on a {@link RetryableException}
     * (a conflict) aborts and runs it again at once on fresh snapshots, up to
     * {@code attempts} times in all. Other exceptions abort and propagate.
     *
     * @return what the work returned in the attempt that committed
     * @throws RetryableException the last one, when every attempt met a conflict
     */
    public <T> T run(int attempts, Work<T> work) {
        if (attempts < 1) throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        RetryableException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            begin();
            try {
                T result = work.call();
                commit();
                return result;
            } catch (RetryableException e) {
                abortQuietly(e);
                last = e;
                if (attempt < attempts) retries.incrementAndGet();
            } catch (RuntimeException | Error e) {
                abortQuietly(e);
                throw e;
            } catch (Exception e) {
                abortQuietly(e);
                throw new IllegalStateException("transaction work failed: " + e, e);
            }
        }
        throw last;
    }

    /** {@link #run(int, Work)} for work without a result. */
    public void run(int attempts, VoidWork work) {
        run(attempts, () -> {
            work.run();
            return null;
        });
    }

    /** Runs {@code work} in a read-only transaction (changes are refused) and ends it. */
    public <T> T readOnly(Work<T> work) {
        beginReadOnly();
        try {
            return work.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("read-only work failed: " + e, e);
        } finally {
            abort();
        }
    }

    private void abortQuietly(Throwable cause) {
        try {
            abort();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** Transactions committed through this manager that wrote something. */
    public long commitCount() { return commits.get(); }

    /** Attempts {@link #run} repeated after a retryable failure (not counting final failures). */
    public long retryCount() { return retries.get(); }

    void register(Connection c) {
        state.get().connections.add(c);
    }

    void unregister(Connection c) {
        state.get().connections.remove(c);
    }
}
