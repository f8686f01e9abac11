package org.cairndb.server;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.cairndb.protocol.CommitOutcome;
import org.cairndb.storage.ReadOnlyException;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.TransactionMetadata;

/**
 * The server side of one client transaction. Its ops arrive as a stream (BEGIN, STORE...,
 * VOTE, FINISH) without answers until VOTE, so an error in BEGIN or a STORE is kept in
 * {@link #failure} and reported by VOTE; the transaction is then aborted.
 *
 * <h2>Vote-to-finish deadline</h2>
 * A successful vote may hold the commit lock until FINISH or ABORT. The session starts a timer
 * ({@link #deadline}) at the vote; when it fires, {@link #expiredBy} runs on {@link #serial}
 * (so after any FINISH or ABORT dispatched before it) and aborts the transaction unless it has
 * ended. A later FINISH then fails with the deadline's message ({@link #checkNotExpired}).
 *
 * <h2>Concurrency</h2>
 * Every op runs on {@link #serial}, in arrival order, one at a time, on the worker pool
 * (never on the event loop: vote blocks on the commit lock, and a storage may do I/O).
 * The fields are only touched by those tasks, so they need no lock; the serial executor's
 * queue orders them.
 */
final class ServerTxn {
    final long id;
    final SerialExecutor serial;
    private StorageTransaction txn;
    private RuntimeException failure;
    private final Set<Long> oids = new LinkedHashSet<>();
    /** Admitted by the storage's {@link CommitQueue} and not yet out of it. */
    private CommitQueue commitQueue;
    /** Set by VOTE_TOKEN: completed once with what became of this transaction (see {@link CommitOutcomes}). */
    private volatile CompletableFuture<CommitOutcome> outcome;
    /** The task this transaction's vote queued in the commit queue (to take it out if the connection drops). */
    volatile Runnable queuedVote;
    /** Voted successfully, and not yet finished or aborted: what the vote deadline looks for. */
    private boolean voted;

    private boolean ended;
    /** Why the server aborted this transaction after its vote (the deadline), or null. */
    private String expired;
    /** The vote-to-finish deadline's timer, while it is set. */
    volatile java.util.concurrent.Future<?> deadline;

    ServerTxn(long id, Executor pool) {
        this.id = id;
        this.serial = new SerialExecutor(pool);
    }

    void begin(ServedStorage s, TransactionMetadata m, boolean readOnly) {
        if (readOnly) {
            failure = new ReadOnlyException(
                    "storage '" + s.name + "' is opened read-only by this connection (read-only credentials"
                            + " or flag): it cannot commit; connect with read-write credentials to write");
            return;
        }
        try {
            txn = s.storage.begin(m);
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** Runs a streamed op unless the transaction already failed. */
    void streamed(Runnable op, long oid, boolean writes) {
        if (failure != null || txn == null) return;
        try {
            op.run();
            if (writes) oids.add(oid);
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    StorageTransaction txn() {
        if (failure != null) {
            abort();
            throw failure;
        }
        return txn;
    }

    void addOids(long[] more) {
        for (long o : more) oids.add(o);
    }

    long[] oids() {
        long[] a = new long[oids.size()];
        int i = 0;
        for (long o : oids) a[i++] = o;
        return a;
    }

    /** The vote succeeded: from now until FINISH or ABORT the transaction may hold the commit lock. */
    void voted() {
        voted = true;
    }

    /**
     * The vote-to-finish deadline passed (on {@link #serial}, so after any FINISH or ABORT that
     * was dispatched before it): aborts the transaction unless it has ended meanwhile.
     */
    boolean expiredBy(String why) {
        if (!voted || ended) return false;
        expired = why;
        notCommitted(why);
        abort();
        return true;
    }

    /** Throws the deadline's abort for a FINISH that comes after it. */
    void checkNotExpired() {
        if (expired != null) throw new org.cairndb.storage.RetryableException(expired);
    }

    void cancelDeadline() {
        java.util.concurrent.Future<?> d = deadline;
        if (d != null) d.cancel(false);
    }

    void abort() {
        ended = true;
        cancelDeadline();
        try {
            if (txn != null) txn.abort();
        } finally {
            leaveCommitQueue();
            notCommitted(
                    "it was aborted (by the client, a failed vote or finish, or because its connection dropped before FINISH ran)");
        }
    }

    void trackOutcome(CompletableFuture<CommitOutcome> f) {
        outcome = f;
    }

    /** Records the commit; after the commit's invalidations are pushed, so an OUTCOME answer comes after them. */
    void committed(long tid) {
        ended = true;
        cancelDeadline();
        CompletableFuture<CommitOutcome> f = outcome;
        if (f != null) f.complete(CommitOutcome.committed(tid));
    }

    /** Records that the transaction ended without committing (a no-op once it is settled). */
    void notCommitted(String why) {
        CompletableFuture<CommitOutcome> f = outcome;
        if (f != null) f.complete(CommitOutcome.notCommitted(why));
    }

    void admitted(CommitQueue g) {
        commitQueue = g;
    }

    /** Lets the next vote in, exactly once, on every path out of a voted transaction. */
    void leaveCommitQueue() {
        CommitQueue g = commitQueue;
        commitQueue = null;
        if (g != null) g.leave();
    }
}
