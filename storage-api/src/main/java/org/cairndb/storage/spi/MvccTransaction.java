package org.cairndb.storage.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.ReadConflictException;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.jspecify.annotations.Nullable;

/**
 * The transaction of the in-memory MVCC storages ({@code mem:}, {@code temp:}): vote takes
 * the storage's {@link CommitLock}, checks every checkCurrent and every write against the
 * object's current revision and picks the next tid; finish installs under the lock, releases
 * it, and returns once the commit is published (at once, or after a persisted storage's group
 * journal force: {@link Store#awaitPublished}); abort releases it. What the storages do differently is theirs: a
 * stale write ({@link #onWriteConflict}: {@code mem:} refuses, {@code temp:} resolves), a
 * last check before the tid is taken ({@link #beforeTid}: {@code mem:}'s capacity).
 */
public abstract class MvccTransaction extends AbstractStorageTransaction {
    /** The current revision of an object as vote sees it: its tid and data (null: deleted). */
    public record Current(long tid, byte @Nullable [] data) {}

    /** What the transaction needs of its storage. */
    public interface Store {
        /** @throws org.cairndb.storage.StorageClosedException when closed */
        void checkOpen();

        CommitLock commitLock();

        long lastTid();

        /** The object's current revision, or null if it was never stored. */
        @Nullable
        Current current(long oid);

        /**
         * Installs the voted writes under {@code tid}; called holding the commit lock. A storage
         * that publishes later (a persisted {@code mem:} after its group journal force) says so
         * in {@link #awaitPublished}.
         */
        void commit(long tid, TransactionMetadata metadata, List<PendingWrite> writes);

        /**
         * Returns when the commit of {@code tid} is durable and visible; called after the commit
         * lock was released, so that the next transaction can vote meanwhile. By default it
         * already is when {@link #commit} returns.
         */
        default void awaitPublished(long tid) {}
    }

    private final Store store;
    private boolean locked;
    private @Nullable Runnable onLockReleased;
    private long after;
    private long tid;
    private List<PendingWrite> voted = List.of();

    protected MvccTransaction(String storageName, TransactionMetadata metadata, Store store) {
        super(storageName, metadata);
        this.store = store;
    }

    @Override
    protected final Map<Long, byte[]> doVote() {
        store.checkOpen();
        store.commitLock().acquire();
        locked = true;
        store.checkOpen(); // closed while this vote waited for the lock
        for (Map.Entry<Long, Long> read : reads().entrySet()) {
            long oid = read.getKey();
            Current c = store.current(oid);
            if (!matches(c, read.getValue())) {
                throw new ReadConflictException(
                        oid,
                        c == null ? null : className(c.data()),
                        read.getValue(),
                        c == null ? Tid.ZERO : c.tid(),
                        "checkCurrent found the object changed since it was read");
            }
        }
        Map<Long, byte[]> resolved = new LinkedHashMap<>();
        List<PendingWrite> out = new ArrayList<>(writes().size());
        for (PendingWrite w : writes()) {
            Current c = store.current(w.oid());
            if (matches(c, w.readTid())) {
                out.add(w);
                continue;
            }
            byte[] merged = onWriteConflict(w, c);
            resolved.put(w.oid(), merged);
            out.add(new PendingWrite(w.oid(), w.readTid(), merged, Tid.ZERO));
        }
        beforeTid(out);
        voted = out;
        after = store.lastTid();
        tid = Tid.next(after);
        return resolved;
    }

    /**
     * After a successful vote: the tid of the commit this transaction directly follows (the
     * storage's last commit when the vote took the commit lock, published or still waiting for
     * a group journal force). If this transaction commits, nothing commits between the two.
     */
    public final long votedAfterTid() {
        return after;
    }

    /**
     * A write whose read tid is no longer current: the merged record to write instead, or a
     * {@link ConflictException}.
     *
     * @param current the object's current revision (null: never stored)
     */
    protected abstract byte[] onWriteConflict(PendingWrite w, @Nullable Current current);

    /** A last check of the writes to install, before the tid is taken; throwing aborts. */
    protected void beforeTid(Collection<PendingWrite> writes) {}

    /** The read tid is current: equal to the current revision's tid, or ZERO for an object without data. */
    private static boolean matches(@Nullable Current c, long readTid) {
        if (c == null) return readTid == Tid.ZERO;
        return c.tid() == readTid || (c.data() == null && readTid == Tid.ZERO);
    }

    /** The record's class name for messages, or null (no data, or no Cairn header). */
    protected static @Nullable String className(byte @Nullable [] data) {
        try {
            return data == null ? null : RecordHeader.classNameOf(data);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Runs {@code r} right after finish releases the commit lock, before finish waits for the
     * commit to become durable and visible (a server lets its next queued vote in then, so
     * that commits arriving together share a journal force). Call before {@code finish}.
     */
    public final void onCommitLockReleased(Runnable r) {
        onLockReleased = r;
    }

    @Override
    protected final long doFinish() {
        try {
            store.commit(tid, metadata(), voted);
        } finally {
            locked = false;
            store.commitLock().release();
            Runnable r = onLockReleased;
            onLockReleased = null;
            if (r != null) r.run();
        }
        store.awaitPublished(tid);
        return tid;
    }

    @Override
    protected final void doAbort(boolean mayHoldLock) {
        if (locked) {
            locked = false;
            store.commitLock().release();
        }
    }
}
