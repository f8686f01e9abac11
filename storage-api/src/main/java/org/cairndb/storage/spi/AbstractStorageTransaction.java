package org.cairndb.storage.spi;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.Oid;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.StorageMisuseException;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.conflict.ResolverRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The two-phase-commit state machine every storage shares: buffers stores and checkCurrents
 * until vote, refuses calls out of order with {@link StorageMisuseException}, and makes a
 * failed vote abort the transaction. Storages implement {@link #doVote}, {@link #doFinish}
 * and {@link #doAbort}.
 *
 * <p>State changes are published through a volatile field so that vote and finish may run on
 * different threads, one after the other.
 */
public abstract class AbstractStorageTransaction implements StorageTransaction {
    protected final String storageName;
    private final TransactionMetadata metadata;
    private final Map<Long, PendingWrite> writes = new LinkedHashMap<>();
    private final Map<Long, Long> reads = new LinkedHashMap<>();
    private volatile State state = State.ACTIVE;

    protected AbstractStorageTransaction(String storageName, TransactionMetadata metadata) {
        this.storageName = storageName;
        this.metadata = metadata == null ? TransactionMetadata.EMPTY : metadata;
    }

    @Override
    public TransactionMetadata metadata() {
        return metadata;
    }

    @Override
    public State state() {
        return state;
    }

    /** Stores, deletes and undo revisions, by oid, in the order first written. */
    protected Collection<PendingWrite> writes() {
        return Collections.unmodifiableCollection(writes.values());
    }

    /** checkCurrent assertions: oid → read tid. */
    protected Map<Long, Long> reads() {
        return Collections.unmodifiableMap(reads);
    }

    @Override
    public void store(long oid, long readTid, byte[] data) {
        requireActive("store");
        if (data == null) {
            throw new StorageMisuseException("storage '" + storageName + "': store of oid " + Oid.describe(oid)
                    + " with null data; use delete(oid, readTid) to write a revision without data");
        }
        put(new PendingWrite(oid, readTid, data, Tid.ZERO));
    }

    @Override
    public void delete(long oid, long readTid) {
        requireActive("delete");
        put(new PendingWrite(oid, readTid, null, Tid.ZERO));
    }

    /** Buffers a write; a second write of one oid replaces the data but keeps the first read tid. */
    protected void put(PendingWrite w) {
        PendingWrite earlier = writes.get(w.oid());
        if (earlier != null) w = new PendingWrite(w.oid(), earlier.readTid(), w.data(), w.dataTid());
        writes.put(w.oid(), w);
    }

    @Override
    public void checkCurrent(long oid, long readTid) {
        requireActive("checkCurrent");
        reads.putIfAbsent(oid, readTid);
    }

    @Override
    public long[] undo(long tid) {
        requireActive("undo");
        throw new UnsupportedOperationException(
                "storage '" + storageName + "' does not support undo (it keeps no history)");
    }

    @Override
    public final Map<Long, byte[]> vote() {
        requireActive("vote");
        try {
            Map<Long, byte[]> resolved = doVote();
            state = State.VOTED;
            return resolved == null ? Map.of() : resolved;
        } catch (RuntimeException | Error e) {
            abortQuietly(e);
            throw e;
        }
    }

    @Override
    public final long finish() {
        State s = state;
        if (s != State.VOTED) {
            throw new StorageMisuseException("storage '" + storageName + "': finish called in state " + s
                    + (s == State.ACTIVE
                            ? " (finish before vote: call vote() first)"
                            : " (the transaction is over; begin a new one)"));
        }
        long tid = doFinish();
        state = State.FINISHED;
        return tid;
    }

    @Override
    public final void abort() {
        State s = state;
        if (s == State.ABORTED || s == State.FINISHED) return;
        state = State.ABORTED;
        doAbort(s == State.VOTED);
    }

    private void abortQuietly(Throwable cause) {
        try {
            state = State.ABORTED;
            doAbort(true);
        } catch (RuntimeException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }

    protected void requireActive(String op) {
        State s = state;
        if (s != State.ACTIVE) {
            throw new StorageMisuseException("storage '" + storageName + "': " + op + " called in state " + s
                    + (s == State.VOTED
                            ? " (no " + op + " after vote: finish or abort first)"
                            : " (the transaction is over; begin a new one)"));
        }
    }

    /**
     * Under the commit lock (taken here): checks reads and writes, resolves conflicts, prepares
     * the tid. On any exception the state machine calls {@link #doAbort(boolean)} with true.
     */
    protected abstract Map<Long, byte[]> doVote();

    /** Publishes the voted transaction, releases the commit lock, returns the tid. */
    protected abstract long doFinish();

    /** Discards the transaction; {@code mayHoldLock} is true after vote began (release the lock if held). */
    protected abstract void doAbort(boolean mayHoldLock);

    /**
     * Resolves a write conflict through the registry, or throws the {@link ConflictException}.
     *
     * @param ancestor the revision at {@code w.readTid()}, or null if unavailable
     */
    protected byte[] resolveOrThrow(
            ResolverRegistry registry, PendingWrite w, long currentTid, byte[] committed, byte[] ancestor) {
        byte[] merged;
        RuntimeException resolverFailure = null;
        try {
            merged = registry == null || w.data() == null
                    ? null
                    : registry.tryResolve(w.oid(), ancestor, committed, w.data());
        } catch (RuntimeException e) {
            // As ZODB does: a resolver that throws is reported as the conflict it failed to
            // resolve (retryable), with its exception as the cause, never as an arbitrary error
            // escaping vote.
            merged = null;
            resolverFailure = e;
        }
        if (merged == null) {
            String cls =
                    w.data() != null ? safeClassName(w.data()) : committed != null ? safeClassName(committed) : null;
            ConflictException c = resolverFailure == null
                    ? new ConflictException(w.oid(), cls, w.readTid(), currentTid)
                    : new ConflictException(
                            w.oid(), cls, w.readTid(), currentTid, "the conflict resolver failed: " + resolverFailure);
            if (resolverFailure != null) c.initCause(resolverFailure);
            throw c;
        }
        return merged;
    }

    private static @Nullable String safeClassName(byte[] data) {
        try {
            return RecordHeader.classNameOf(data);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
