package org.cairndb.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.cairndb.protocol.Messages;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.protocol.ProtocolException;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.StorageMisuseException;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.TransactionRecord;

/**
 * What one connection holds open between its requests: iteration cursors (ITERATE,
 * ITERATE_NEXT, ITERATE_CLOSE; a cursor is the request id of its ITERATE) and snapshot views
 * (OPEN_VIEW, VIEW_LOAD, VIEW_SYNC, VIEW_CLOSE; the client names them). Touched from the event
 * loop (lookups, closes) and from workers (opening, batches), hence concurrent maps; closing
 * hands the storage's close to a worker, never the event loop. Everything left open is closed
 * when the connection goes ({@link #closeAll}).
 */
final class OpenCursors {
    /** Bytes of transactions per ITERATE answer (a batch ends after the transaction that crosses it). */
    private static final int ITER_BATCH_BYTES = 1 << 20;

    private final Map<Integer, CloseableIterator<TransactionRecord>> iterators = new ConcurrentHashMap<>();
    private final Map<Long, StorageView> views = new ConcurrentHashMap<>();
    private final Executor closer;

    /** {@code closer} runs the storage's closes (the server's workers). */
    OpenCursors(Executor closer) {
        this.closer = closer;
    }

    /** Registers a new iteration under {@code cursor} and answers its first batch. */
    PayloadWriter startIteration(int cursor, CloseableIterator<TransactionRecord> it) {
        iterators.put(cursor, it);
        return batch(cursor, it);
    }

    /** The open iteration of {@code cursor}; a protocol error if there is none. */
    CloseableIterator<TransactionRecord> iteration(int cursor) {
        CloseableIterator<TransactionRecord> it = iterators.get(cursor);
        if (it == null)
            throw new ProtocolException("ITERATE_NEXT for unknown cursor " + cursor
                    + " (it is the request id of ITERATE; closed or exhausted?)");
        return it;
    }

    /** The next batch of {@code it}: "more" flag, count, then the transactions back to back; an exhausted cursor is closed. */
    PayloadWriter batch(int cursor, CloseableIterator<TransactionRecord> it) {
        PayloadWriter body = new PayloadWriter(4096);
        int n = 0;
        while (body.size() < ITER_BATCH_BYTES && it.hasNext()) {
            Messages.writeTransaction(body, it.next());
            n++;
        }
        boolean more = it.hasNext();
        if (!more) {
            iterators.remove(cursor);
            it.close();
        }
        byte[] b = body.toBytes();
        PayloadWriter w = new PayloadWriter(b.length + 8).bool(more).i32(n);
        return w.raw(b); // n transactions back to back
    }

    void closeIteration(int cursor) {
        CloseableIterator<TransactionRecord> it = iterators.remove(cursor);
        if (it != null) closer.execute(it::close);
    }

    /** Registers {@code v} under the client's {@code viewId}; a second view of the same id is misuse (and closed). */
    void openView(long viewId, StorageView v) {
        if (views.putIfAbsent(viewId, v) != null) {
            v.close();
            throw new StorageMisuseException("view id " + viewId + " is already open on this connection");
        }
    }

    /** The open view {@code viewId}; a protocol error if there is none. */
    StorageView view(long viewId, Op op) {
        StorageView v = views.get(viewId);
        if (v == null)
            throw new ProtocolException(
                    op + " for unknown view id " + viewId + " (send OPEN_VIEW first; after VIEW_CLOSE the id is gone)");
        return v;
    }

    void closeView(long viewId) {
        StorageView v = views.remove(viewId);
        if (v != null) closer.execute(v::close);
    }

    /** The connection went: every cursor and view it left open is closed. */
    void closeAll() {
        for (CloseableIterator<TransactionRecord> it : iterators.values()) closer.execute(it::close);
        iterators.clear();
        for (StorageView v : views.values()) closer.execute(v::close);
        views.clear();
    }
}
