package org.cairndb.mapping;

import java.util.Map;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.ReadConflictException;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.spi.AbstractStorageTransaction;
import org.cairndb.storage.spi.PendingWrite;

/**
 * A transaction of {@link MappingStorage}: vote takes the commit lock and checks every read
 * and write against the current revision; a stale write is a {@link ConflictException},
 * never resolved (that is {@code temp:}'s job). Finish installs and publishes.
 */
final class MappingTransaction extends AbstractStorageTransaction {
    private final MappingStorage storage;
    private boolean locked;
    private long tid;

    MappingTransaction(MappingStorage storage, TransactionMetadata metadata) {
        super(storage.name(), metadata);
        this.storage = storage;
    }

    @Override
    protected Map<Long, byte[]> doVote() {
        storage.checkOpen();
        storage.commitLock().acquire();
        locked = true;
        storage.checkOpen();
        for (Map.Entry<Long, Long> read : reads().entrySet()) {
            RecordCodec.Head head = storage.head(read.getKey());
            if (!matches(head, read.getValue())) {
                throw new ReadConflictException(read.getKey(), head == null ? null : className(head.data()), read.getValue(),
                        head == null ? Tid.ZERO : head.tid(), "checkCurrent found the object changed since it was read");
            }
        }
        for (PendingWrite w : writes()) {
            RecordCodec.Head head = storage.head(w.oid());
            if (!matches(head, w.readTid())) {
                String cls = w.data() != null ? className(w.data()) : head != null ? className(head.data()) : null;
                throw new ConflictException(w.oid(), cls, w.readTid(), head == null ? Tid.ZERO : head.tid(),
                        "mem: detects conflicts but never resolves them (use temp: or postgres:// for resolution)");
            }
        }
        storage.checkCapacity(writes());
        tid = Tid.next(storage.lastTid());
        return Map.of();
    }

    private static boolean matches(RecordCodec.Head head, long readTid) {
        if (head == null) return readTid == Tid.ZERO;
        return head.tid() == readTid || (head.data() == null && readTid == Tid.ZERO);
    }

    private static String className(byte[] data) {
        try {
            return data == null ? null : RecordHeader.classNameOf(data);
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    protected long doFinish() {
        try {
            storage.install(tid, metadata(), writes());
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
