package org.cairndb.remote;

import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.Message;
import org.cairndb.protocol.Messages;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadReader;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.TransactionRecord;

/**
 * Iterates the server's transactions in batches of about a megabyte: ITERATE opens a cursor
 * (named by its request id... here by the id the server answers with) and ITERATE_NEXT
 * fetches more, so a copy of a large storage streams without holding it in memory.
 */
final class RemoteIterator implements CloseableIterator<TransactionRecord> {
    private final RemoteStorage storage;
    private final ClientConnection conn;
    private final ArrayDeque<TransactionRecord> buffer = new ArrayDeque<>();
    private final int generation;
    private int cursor;
    private boolean more;
    private boolean closed;

    RemoteIterator(RemoteStorage storage, ClientConnection conn, long from, long to) {
        this.storage = storage;
        this.conn = conn;
        this.generation = conn.generation();
        Frame f = conn.call(Op.ITERATE, new Message.Iterate(from, to).payload(), generation, null);
        cursor = f.requestId();
        take(f.reader());
    }

    private void take(PayloadReader r) {
        more = r.bool();
        int n = r.count("transaction", 20);
        for (int i = 0; i < n; i++) buffer.addLast(Messages.readTransaction(r));
        r.end();
    }

    @Override
    public boolean hasNext() {
        if (closed) return false;
        if (buffer.isEmpty() && more) {
            storage.checkOpen();
            take(conn.call(Op.ITERATE_NEXT, new Message.IterateNext(cursor).payload(), generation, null)
                    .reader());
        }
        return !buffer.isEmpty();
    }

    @Override
    public TransactionRecord next() {
        if (!hasNext()) throw new NoSuchElementException("no more transactions in " + storage.name());
        return buffer.removeFirst();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        buffer.clear();
        if (more) conn.sendIfConnected(Op.ITERATE_CLOSE, new Message.IterateClose(cursor).payload(), generation);
    }
}
