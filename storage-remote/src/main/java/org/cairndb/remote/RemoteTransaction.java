package org.cairndb.remote;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cairndb.protocol.CommitOutcome;
import org.cairndb.protocol.Message;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadReader;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.storage.CommitOutcomeUnknownException;
import org.cairndb.storage.Oid;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.StorageException;
import org.cairndb.storage.StorageMisuseException;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;

/**
 * A transaction of a {@link RemoteStorage}. BEGIN, STORE, DELETE and CHECK_CURRENT are
 * streamed to the server without answers (flushed in batches), so a transaction of n stores
 * costs two round trips (VOTE, FINISH), not n. Errors of streamed ops come back from VOTE.
 * The local state machine refuses calls out of order exactly as a local storage does.
 *
 * <h2>A FINISH whose answer is lost</h2>
 * If the connection drops while FINISH is in flight, the server may or may not have
 * committed; saying "retry" would be a lie when it did (the retry commits twice) and saying
 * "failed" a lie when it did not. So the vote carries a token ({@code VOTE_TOKEN}: a random
 * half chosen per client and this transaction's id), and after the drop finish reconnects
 * and asks the server ({@code OUTCOME}) what became of it (again on the next connection if
 * this one drops before the answer). The server answers when it knows
 * (it may still be finishing); after a server restart it answers from the storage's last
 * tid (compared with the one the vote reported), or says it cannot tell. Finish then returns
 * the tid, throws {@link RetryableException} saying it was NOT committed, or throws a
 * {@link CommitOutcomeUnknownException} saying it is unknown whether it committed (never
 * retryable: a blind retry could commit twice).
 */
final class RemoteTransaction implements StorageTransaction {
    private static final int FLUSH_EVERY = 32;

    private final RemoteStorage storage;
    private final ClientConnection conn;
    private final long id;
    private final TransactionMetadata metadata;
    private final int generation;
    private volatile State state = State.ACTIVE;
    private int unflushed;
    /** The last tid the server had published at our vote: after a server restart, "no commit since" proves "not committed". */
    private long voteTid;
    /**
     * What this transaction writes, by oid (null: a delete), until it is over: after a server
     * restart the server compares it with the first commit after {@link #voteTid}. Null once
     * undo made it unknowable here.
     */
    private Map<Long, byte[]> written = new HashMap<>();

    RemoteTransaction(RemoteStorage storage, ClientConnection conn, long id, TransactionMetadata metadata) {
        this.storage = storage;
        this.conn = conn;
        this.id = id;
        this.metadata = metadata;
        this.generation = conn.generation();
        conn.send(Op.BEGIN, new Message.Begin(id, metadata).payload(), generation, false);
        unflushed++;
    }

    @Override
    public TransactionMetadata metadata() {
        return metadata;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public void store(long oid, long readTid, byte[] data) {
        requireActive("store");
        if (data == null) {
            throw new StorageMisuseException("storage '" + storage.name() + "': store of oid " + Oid.describe(oid)
                    + " with null data; use delete(oid, readTid) to write a revision without data");
        }
        stream(Op.STORE, new Message.Store(id, oid, readTid, data).payload());
        if (written != null) written.put(oid, data);
    }

    @Override
    public void delete(long oid, long readTid) {
        requireActive("delete");
        stream(Op.DELETE, new Message.Delete(id, oid, readTid).payload());
        if (written != null) written.put(oid, null);
    }

    @Override
    public void checkCurrent(long oid, long readTid) {
        requireActive("checkCurrent");
        stream(Op.CHECK_CURRENT, new Message.CheckCurrent(id, oid, readTid).payload());
    }

    private void stream(Op op, PayloadWriter w) {
        storage.checkOpen();
        boolean flush = ++unflushed >= FLUSH_EVERY;
        if (flush) unflushed = 0;
        try {
            conn.send(op, w, generation, flush);
        } catch (RuntimeException e) {
            abort(); // the server forgets it too (if the connection is still the same)
            throw e;
        }
    }

    @Override
    public long[] undo(long tid) {
        requireActive("undo");
        written = null; // its revisions are the server's choice (backpointers): not comparable by the client
        try {
            return conn.call(Op.UNDO, new Message.Undo(id, tid).payload(), generation, null)
                    .reader()
                    .longs();
        } catch (UnsupportedOperationException e) {
            throw e;
        } catch (RuntimeException e) {
            // the server recorded nothing for a failed undo; the transaction itself goes on
            throw e;
        }
    }

    @Override
    public Map<Long, byte[]> vote() {
        requireActive("vote");
        try {
            PayloadReader r = conn.call(
                            Op.VOTE_TOKEN, new Message.VoteToken(id, storage.tokenHi, id).payload(), generation, null)
                    .reader();
            voteTid = r.i64();
            int n = r.count("resolved record", 12);
            Map<Long, byte[]> resolved = new HashMap<>();
            for (int i = 0; i < n; i++) resolved.put(r.i64(), r.bytes());
            if (written != null) written.putAll(resolved); // conflict resolution chose these
            state = State.VOTED;
            return resolved;
        } catch (RuntimeException e) {
            // a failed vote leaves the transaction aborted in the server too
            state = State.ABORTED;
            throw e;
        }
    }

    @Override
    public long finish() {
        State s = state;
        if (s != State.VOTED) {
            throw new StorageMisuseException("storage '" + storage.name() + "': finish called in state " + s
                    + (s == State.ACTIVE
                            ? " (finish before vote: call vote() first)"
                            : " (the transaction is over; begin a new one)"));
        }
        try {
            storage.checkOpen();
        } catch (RuntimeException closed) {
            state = State.ABORTED;
            throw closed;
        }
        if (conn.currentGeneration() != generation) {
            // the connection it voted on is already gone: FINISH was never sent, and the server aborted it
            state = State.ABORTED;
            written = null;
            throw new RetryableException(
                    "storage '" + storage.name() + "': the connection was lost between vote and finish of transaction "
                            + id
                            + "; FINISH was not sent and the server aborted the transaction: it was NOT committed. Retry the transaction");
        }
        CommitWatch committed = storage.watchCommit(written);
        try {
            long tid = conn.call(Op.FINISH, new Message.Finish(id).payload(), generation, committed)
                    .reader()
                    .i64();
            state = State.FINISHED;
            written = null;
            return tid;
        } catch (RetryableException e) {
            if (conn.currentGeneration() == generation) {
                // the server answered (or the frame was never written): it did not commit
                state = State.ABORTED;
                throw e;
            }
            long tid = outcomeAfterLostFinish(e);
            state = State.FINISHED;
            return tid;
        } catch (RuntimeException e) {
            state = State.ABORTED;
            throw e;
        } finally {
            written = null;
            storage.unwatchCommit(committed);
        }
    }

    /** Reconnects and asks the server what became of this transaction; returns its tid or throws saying it did not commit, or that nobody knows. */
    private long outcomeAfterLostFinish(RetryableException lost) {
        state = State.ABORTED; // until the server says otherwise
        String what = "storage '" + storage.name() + "': the connection was lost while FINISH of transaction " + id
                + " was in flight (" + lost.getMessage() + ")";
        CommitOutcome o;
        try {
            o = askOutcome();
        } catch (RuntimeException e) {
            StorageException u = new CommitOutcomeUnknownException(
                    what + "; asking the server afterwards whether it committed failed too (" + e.getMessage()
                            + "): it is UNKNOWN WHETHER IT COMMITTED. Do not simply retry it: check the data (e.g. the objects it wrote) first",
                    voteTid,
                    lost);
            u.addSuppressed(e);
            throw u;
        }
        return switch (o.state()) {
            case CommitOutcome.COMMITTED -> o.tid();
            case CommitOutcome.NOT_COMMITTED ->
                throw new RetryableException(
                        what + "; checked with the server after reconnecting: it was NOT committed (" + o.message()
                                + "). Retry the transaction",
                        lost);
            default ->
                throw new CommitOutcomeUnknownException(
                        what + "; the server cannot tell: it is UNKNOWN WHETHER IT COMMITTED (" + o.message()
                                + "). Do not simply retry it: check the data (e.g. the objects it wrote, or commits after tid "
                                + Tid.hex(voteTid) + ") first",
                        voteTid,
                        lost);
        };
    }

    /** Times OUTCOME is asked when the connection drops again while asking (e.g. a server killed twice in a row). */
    private static final int OUTCOME_ATTEMPTS = 4;

    /**
     * Sends OUTCOME, again on the next connection when this one is lost before the answer
     * (each attempt waits for the reconnect, bounded by the connect timeout): a second drop
     * says nothing about the transaction, so it must not turn into "unknown" by itself.
     */
    private CommitOutcome askOutcome() {
        for (int attempt = 1; ; attempt++) {
            Map<Long, Long> fingerprints = null;
            if (written != null) {
                fingerprints = new LinkedHashMap<>();
                for (Map.Entry<Long, byte[]> e : written.entrySet())
                    fingerprints.put(e.getKey(), CommitOutcome.fingerprint(e.getValue()));
            }
            PayloadWriter w = new Message.Outcome(storage.tokenHi, id, voteTid, fingerprints).payload();
            try {
                return CommitOutcome.read(conn.call(Op.OUTCOME, w, 0, null).reader());
            } catch (RetryableException lostAgain) {
                if (attempt >= OUTCOME_ATTEMPTS) throw lostAgain;
            }
        }
    }

    @Override
    public void abort() {
        State s = state;
        if (s == State.ABORTED || s == State.FINISHED) return;
        state = State.ABORTED;
        written = null;
        conn.sendIfConnected(Op.ABORT, new Message.Abort(id).payload(), generation);
    }

    private void requireActive(String op) {
        State s = state;
        if (s != State.ACTIVE) {
            throw new StorageMisuseException("storage '" + storage.name() + "': " + op + " called in state " + s
                    + (s == State.VOTED
                            ? " (no " + op + " after vote: finish or abort first)"
                            : " (the transaction is over; begin a new one)"));
        }
    }
}
