package org.cairndb.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.cairndb.storage.ReadOnlyException;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.Storage;
import org.jspecify.annotations.NullMarked;
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
 * <h2>Outcomes: what an exception out of commit() means</h2>
 * Exactly one of three, and the exception says which:
 * <ul>
 * <li><b>not committed</b>: anything before the first finish (hooks, stores, votes) and a
 *     finish that failed before any other finished. A {@link RetryableException} among these
 *     is retried by {@link #run}; others propagate.</li>
 * <li><b>unknown</b>: {@link org.cairndb.storage.CommitOutcomeUnknownException} from a single
 *     storage's finish (the connection was lost in flight and the storage could not be asked
 *     afterwards). Never retried: read back what the transaction wrote.</li>
 * <li><b>committed on some mounts</b>: {@link PartialCommitException}, when a finish fails
 *     after another mount's finish succeeded (or a first finish's outcome is unknown while
 *     other mounts took part). Never retried; the databases are marked unusable
 *     ({@link DatabaseHosedException}) until reopened, as ZODB does.</li>
 * </ul>
 * Once every finish has returned the transaction is committed and commit() returns: the
 * sync of the connections afterwards (a round trip over cairn:// and postgres://) and the
 * after-commit hooks cannot turn it into a failure. A failed sync is logged and done again
 * by the next begin(), whose failure is then an ordinary retryable one of the next
 * transaction. <i>The bug this rules out:</i> a failed sync after a durable commit used to
 * leave commit() as a RetryableException, and run() applied the work twice.
 *
 * <h2>Finish order across mounts</h2>
 * Votes go in storage-name order (the deadlock rule above); finishes go remote storages
 * first ({@link org.cairndb.storage.Storage#remote()}: cairn://, postgres://), local ones
 * last. A finish over a network is the one that can fail; failing first, it leaves nothing
 * committed and the whole transaction is simply not committed. A remote finish whose answer
 * is lost asks its storage for the outcome after reconnecting (by transaction and vote tid),
 * so a lost answer is turned back into "committed" or "not committed" when it can be.
 *
 * <h2>Retries and backoff</h2>
 * {@link #run} retries on a {@link RetryableException} (write and read conflicts, a lost
 * server, a commit the storage said was not applied): the abort syncs every connection, so
 * the next attempt already sees the winner's commit. The first retry of a chain is
 * immediate; after two failures in a row each retry waits a random time between zero and
 * a bound that doubles with every further failure (1 ms, 2 ms, ... up to 100 ms), so
 * writers that keep colliding spread out instead of colliding in lockstep. The wait is a
 * timer and ends early when any storage the thread uses reports a commit: that commit is
 * what the next attempt needs to see, so no sleep decides progress ({@link RetryBackoff}).
 */
@NullMarked
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
     * thread, atomically per storage and with two-phase commit across storages. Returning
     * means committed; for what an exception means see the class comment ("Outcomes").
     *
     * @throws org.cairndb.storage.ConflictException     a write conflict no resolver could merge (not committed)
     * @throws org.cairndb.storage.ReadConflictException an object checked with readCurrent changed (not committed)
     * @throws org.cairndb.storage.CommitOutcomeUnknownException the storage could not tell whether it committed
     * @throws PartialCommitException                    committed on some mounts only (or maybe); the databases are hosed
     * @throws DatabaseHosedException                    an earlier partial commit made a database unusable
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
        List<Jar> finishing;
        try {
            for (Connection c : ts.connections) c.database().checkNotHosed();
            for (int i = 0; i < txn.beforeCommit.size(); i++)
                txn.beforeCommit.get(i).run();
            for (Connection c : ts.connections) jars.addAll(c.committingJars());
            for (Jar j : jars) j.tpcBegin(txn.metadata());
            List<Jar> ordered = new ArrayList<>(jars);
            ordered.sort(Comparator.comparing((Jar j) -> j.storage.name()).thenComparing(j -> j.mount));
            for (Jar j : ordered) j.vote();
            finishing = new ArrayList<>(ordered);
            finishing.sort(
                    Comparator.comparing((Jar j) -> !j.storage.remote())); // stable: remote first, then vote order
        } catch (RuntimeException | Error e) {
            abandon(ts, jars, e);
            throw e; // not committed
        }
        List<Jar> finished = new ArrayList<>();
        for (Jar j : finishing) {
            try {
                j.finish();
                finished.add(j);
            } catch (RuntimeException | Error e) {
                boolean unknown = e instanceof org.cairndb.storage.CommitOutcomeUnknownException;
                if (finished.isEmpty() && (!unknown || finishing.size() == 1)) {
                    abandon(ts, jars, e);
                    throw e; // nothing committed, or (one storage) its own unknown
                }
                PartialCommitException partial = partial(finishing, finished, j, unknown, e);
                for (Jar f : finishing) f.connection().database().hose(String.valueOf(partial.getMessage()));
                abandon(ts, jars, partial);
                throw partial;
            }
        }
        if (!jars.isEmpty()) commits.incrementAndGet();
        try {
            finish(ts, true);
        } catch (RuntimeException e) {
            // committed: the sync after it failed (e.g. the connection dropped); the next begin() syncs again
            LOG.warn(
                    "the transaction committed; syncing the connections afterwards failed and is done again at the next begin(): {}",
                    e.toString());
        }
    }

    private static PartialCommitException partial(
            List<Jar> finishing, List<Jar> finished, Jar failed, boolean unknown, Throwable e) {
        Map<String, PartialCommitException.Outcome> outcomes = new LinkedHashMap<>();
        for (Jar j : finishing) {
            PartialCommitException.Outcome o = finished.contains(j)
                    ? PartialCommitException.Outcome.COMMITTED
                    : j == failed && unknown
                            ? PartialCommitException.Outcome.UNKNOWN
                            : PartialCommitException.Outcome.NOT_COMMITTED;
            outcomes.merge(j.mount, o, (a, b) -> a == b ? a : PartialCommitException.Outcome.UNKNOWN);
        }
        StringBuilder committed = new StringBuilder();
        for (Map.Entry<String, PartialCommitException.Outcome> o : outcomes.entrySet()) {
            if (committed.length() > 0) committed.append(", ");
            committed
                    .append(o.getKey())
                    .append(": ")
                    .append(o.getValue()
                            .name()
                            .toLowerCase(java.util.Locale.ROOT)
                            .replace('_', ' '));
        }
        return new PartialCommitException(
                "a commit across mounts " + (finished.isEmpty() ? "may have been" : "was")
                        + " applied on some mounts only (" + committed
                        + "): finishing mount '" + failed.mount + "' failed (" + e.getMessage()
                        + "). Not retried, as that would"
                        + " apply it twice where it committed; check and repair those mounts' data, then reopen the database",
                outcomes,
                e);
    }

    /** After a failure: aborts every storage transaction and the connections' changes; cleanup failures are added to {@code cause}, never replace it. */
    private void abandon(ThreadState ts, List<Jar> jars, Throwable cause) {
        for (Jar j : jars) {
            try {
                j.tpcAbort();
            } catch (RuntimeException suppressed) {
                cause.addSuppressed(suppressed);
            }
        }
        try {
            finish(ts, false);
        } catch (RuntimeException suppressed) {
            cause.addSuppressed(suppressed);
        }
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
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        ts.txn = new Transaction(false);
        for (Consumer<Boolean> hook : txn.afterCommit) {
            try {
                hook.accept(committed);
            } catch (RuntimeException e) {
                LOG.warn(
                        "after-commit hook {} failed (the transaction {} regardless)",
                        hook,
                        committed ? "committed" : "did not commit",
                        e);
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
     * (a conflict, a lost connection: nothing was committed) aborts and runs it again on a
     * fresh snapshot, up to {@code attempts} times in all, with the backoff of the class
     * comment. Every other exception aborts and propagates at once; in particular an
     * outcome that is unknown ({@link org.cairndb.storage.CommitOutcomeUnknownException}) or
     * partial ({@link PartialCommitException}) is never retried, as that could apply the work
     * twice.
     *
     * @return what the work returned in the attempt that committed
     * @throws RetriesExhaustedException when every attempt failed retryably (nothing committed); carries the attempts
     */
    public <T> T run(int attempts, Work<T> work) {
        if (attempts < 1) throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        RetryableException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) RetryBackoff.before(attempt - 1, last, this::storagesOfThisThread);
            try {
                begin();
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
        throw new RetriesExhaustedException(attempts, last);
    }

    /** Every storage mounted by a database this thread has a connection to (whose commits end a backoff). */
    private Set<Storage> storagesOfThisThread() {
        Set<Storage> storages = new HashSet<>();
        for (Connection c : state.get().connections)
            storages.addAll(c.database().mounts().values());
        return storages;
    }

    /** {@link #run(int, Work)} for work without a result. */
    @SuppressWarnings("NullAway") // the adapter's null result is discarded; Work's T is not nullness-annotated
    public void run(int attempts, VoidWork work) {
        run(attempts, () -> {
            work.run();
            return null;
        });
    }

    /** Runs {@code work} in a read-only transaction (changes are refused) and ends it. */
    public <T> T readOnly(Work<T> work) {
        beginReadOnly();
        T result;
        try {
            result = work.call();
        } catch (RuntimeException | Error e) {
            abortQuietly(e); // a failing abort never replaces the work's exception
            throw e;
        } catch (Exception e) {
            IllegalStateException failed = new IllegalStateException("read-only work failed: " + e, e);
            abortQuietly(failed);
            throw failed;
        }
        abort();
        return result;
    }

    private void abortQuietly(Throwable cause) {
        try {
            abort();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** Transactions committed through this manager that wrote something. */
    public long commitCount() {
        return commits.get();
    }

    /** Attempts {@link #run} repeated after a retryable failure (not counting final failures). */
    public long retryCount() {
        return retries.get();
    }

    /** The connections the calling thread opened (not a copy: read it on this thread only). */
    List<Connection> threadConnections() {
        return state.get().connections;
    }

    /** The open connections the calling thread uses with this manager (for libraries that join the thread's transaction). */
    public List<Connection> connections() {
        return List.copyOf(state.get().connections);
    }

    void register(Connection c) {
        state.get().connections.add(c);
    }

    void unregister(Connection c) {
        state.get().connections.remove(c);
    }
}
