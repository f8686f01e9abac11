package org.cairndb.server;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executor;
import org.cairndb.storage.ReadOnlyException;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.TransactionMetadata;

/**
 * The server side of one client transaction. Its ops arrive as a stream (BEGIN, STORE...,
 * VOTE, FINISH) without answers until VOTE, so an error in BEGIN or a STORE is kept in
 * {@link #failure} and reported by VOTE; the transaction is then aborted.
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

    ServerTxn(long id, Executor pool) {
        this.id = id;
        this.serial = new SerialExecutor(pool);
    }

    void begin(ServedStorage s, TransactionMetadata m, boolean readOnly) {
        if (readOnly) {
            failure = new ReadOnlyException("storage '" + s.name + "' is opened read-only by this connection (read-only credentials"
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

    void abort() {
        if (txn != null) txn.abort();
    }
}
