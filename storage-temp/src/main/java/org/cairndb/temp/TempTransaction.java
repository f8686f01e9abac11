package org.cairndb.temp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.ReadConflictException;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.spi.AbstractStorageTransaction;
import org.cairndb.storage.spi.PendingWrite;

/**
 * A transaction of {@link TemporaryStorage}. Stores are buffered by the base class; vote takes
 * the commit lock, checks every read and write against the newest revision and resolves write
 * conflicts (ancestor: the revision at the read tid if it is still kept); finish installs the
 * revisions, publishes the tid and releases the lock.
 */
final class TempTransaction extends AbstractStorageTransaction {
    private final TemporaryStorage storage;
    private boolean locked;
    private long tid;
    private List<PendingWrite> finalWrites;

    TempTransaction(TemporaryStorage storage, TransactionMetadata metadata) {
        super(storage.name(), metadata);
        this.storage = storage;
    }

    @Override
    protected Map<Long, byte[]> doVote() {
        storage.checkOpen();
        storage.commitLock().acquire();
        locked = true;
        for (Map.Entry<Long, Long> read : reads().entrySet()) {
            long oid = read.getKey();
            Rev head = storage.head(oid);
            if (!matches(head, read.getValue())) {
                throw new ReadConflictException(oid, head == null || head.data == null ? null : safeClass(head.data),
                        read.getValue(), head == null ? Tid.ZERO : head.tid,
                        "checkCurrent found the object changed since it was read");
            }
        }
        Map<Long, byte[]> resolved = new LinkedHashMap<>();
        List<PendingWrite> out = new ArrayList<>(writes().size());
        for (PendingWrite w : writes()) {
            Rev head = storage.head(w.oid());
            if (matches(head, w.readTid())) {
                out.add(w);
                continue;
            }
            byte[] committed = head == null ? null : head.data;
            Rev ancestor = w.readTid() == Tid.ZERO || head == null ? null : Chains.exactly(head, w.readTid());
            long current = head == null ? Tid.ZERO : head.tid;
            byte[] merged;
            try {
                merged = resolveOrThrow(storage.resolvers(), w, current, committed, ancestor == null ? null : ancestor.data);
            } catch (ConflictException e) {
                throw e;
            } catch (RuntimeException resolverFailed) {
                ConflictException c = new ConflictException(w.oid(), safeClass(w.data()), w.readTid(), current,
                        "the conflict resolver failed: " + resolverFailed);
                c.initCause(resolverFailed);
                throw c;
            }
            resolved.put(w.oid(), merged);
            out.add(new PendingWrite(w.oid(), w.readTid(), merged, Tid.ZERO));
        }
        finalWrites = out;
        tid = Tid.next(storage.lastTid());
        return resolved;
    }

    /** The read tid is current: equal to the newest revision's tid, or ZERO for an object without data. */
    private static boolean matches(Rev head, long readTid) {
        if (head == null) return readTid == Tid.ZERO;
        return head.tid == readTid || (head.data == null && readTid == Tid.ZERO);
    }

    private static String safeClass(byte[] data) {
        try {
            return RecordHeader.classNameOf(data);
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    protected long doFinish() {
        try {
            storage.checkOpen(); // a close aborts open transactions: a voted one must not publish afterwards
            storage.install(tid, metadata(), finalWrites);
            return tid;
        } finally {
            locked = false;
            storage.commitLock().release();
        }
    }

    @Override
    protected void doAbort(boolean mayHoldLock) {
        if (locked) {
            locked = false;
            storage.commitLock().release();
        }
    }
}
