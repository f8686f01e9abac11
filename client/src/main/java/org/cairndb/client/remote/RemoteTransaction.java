package org.cairndb.client.remote;

import java.util.HashMap;
import java.util.Map;
import org.cairndb.protocol.Messages;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadReader;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.storage.Oid;
import org.cairndb.storage.StorageMisuseException;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.TransactionMetadata;

/**
 * A transaction of a {@link RemoteStorage}. BEGIN, STORE, DELETE and CHECK_CURRENT are
 * streamed to the server without answers (flushed in batches), so a transaction of n stores
 * costs two round trips (VOTE, FINISH), not n. Errors of streamed ops come back from VOTE.
 * The local state machine refuses calls out of order exactly as a local storage does.
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

    RemoteTransaction(RemoteStorage storage, ClientConnection conn, long id, TransactionMetadata metadata) {
        this.storage = storage;
        this.conn = conn;
        this.id = id;
        this.metadata = metadata;
        this.generation = conn.generation();
        PayloadWriter w = new PayloadWriter(64).i64(id);
        Messages.writeMetadata(w, metadata);
        conn.send(Op.BEGIN, w, generation, false);
        unflushed++;
    }

    @Override
    public TransactionMetadata metadata() { return metadata; }

    @Override
    public State state() { return state; }

    @Override
    public void store(long oid, long readTid, byte[] data) {
        requireActive("store");
        if (data == null) {
            throw new StorageMisuseException("storage '" + storage.name() + "': store of oid " + Oid.describe(oid)
                    + " with null data; use delete(oid, readTid) to write a revision without data");
        }
        stream(Op.STORE, new PayloadWriter(28 + data.length).i64(id).i64(oid).i64(readTid).bytes(data));
    }

    @Override
    public void delete(long oid, long readTid) {
        requireActive("delete");
        stream(Op.DELETE, new PayloadWriter(24).i64(id).i64(oid).i64(readTid));
    }

    @Override
    public void checkCurrent(long oid, long readTid) {
        requireActive("checkCurrent");
        stream(Op.CHECK_CURRENT, new PayloadWriter(24).i64(id).i64(oid).i64(readTid));
    }

    private void stream(Op op, PayloadWriter w) {
        storage.checkOpen();
        boolean flush = ++unflushed >= FLUSH_EVERY;
        if (flush) unflushed = 0;
        try {
            conn.send(op, w, generation, flush);
        } catch (RuntimeException e) {
            state = State.ABORTED;
            throw e;
        }
    }

    @Override
    public long[] undo(long tid) {
        requireActive("undo");
        try {
            return conn.call(Op.UNDO, new PayloadWriter(16).i64(id).i64(tid), generation, null).reader().longs();
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
            PayloadReader r = conn.call(Op.VOTE, new PayloadWriter(8).i64(id), generation, null).reader();
            int n = r.count("resolved record", 12);
            Map<Long, byte[]> resolved = new HashMap<>();
            for (int i = 0; i < n; i++) resolved.put(r.i64(), r.bytes());
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
                    + (s == State.ACTIVE ? " (finish before vote: call vote() first)" : " (the transaction is over; begin a new one)"));
        }
        try {
            long tid = conn.call(Op.FINISH, new PayloadWriter(8).i64(id), generation, null).reader().i64();
            state = State.FINISHED;
            return tid;
        } catch (RuntimeException e) {
            state = State.ABORTED;
            throw e;
        }
    }

    @Override
    public void abort() {
        State s = state;
        if (s == State.ABORTED || s == State.FINISHED) return;
        state = State.ABORTED;
        conn.sendIfConnected(Op.ABORT, new PayloadWriter(8).i64(id), generation);
    }

    private void requireActive(String op) {
        State s = state;
        if (s != State.ACTIVE) {
            throw new StorageMisuseException("storage '" + storage.name() + "': " + op + " called in state " + s
                    + (s == State.VOTED ? " (no " + op + " after vote: finish or abort first)" : " (the transaction is over; begin a new one)"));
        }
    }
}
