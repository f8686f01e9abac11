package org.cairndb.storage;

import java.util.Map;

/**
 * One transaction's two-phase commit against one storage.
 *
 * <pre>
 *   ACTIVE --store/delete/checkCurrent/undo--> ACTIVE --vote--> VOTED --finish--> FINISHED
 *      \__________________abort (from ACTIVE or VOTED, idempotent)_______________> ABORTED
 * </pre>
 * Calls out of this order throw {@link StorageMisuseException}. A vote that throws leaves the
 * transaction aborted and without trace. The storage's commit lock is taken at vote (not at
 * begin) and released by finish or abort; waiters for it are woken by the release, in order
 * of arrival.
 *
 * <p>An instance is used by one thread at a time, but vote and finish may come from
 * different threads (a server's event loop and a worker).
 */
public interface StorageTransaction {

    TransactionMetadata metadata();

    /**
     * Stores a new revision of {@code oid}.
     *
     * @param readTid the tid of the revision this one replaces, as the writer read it;
     *                {@link Tid#ZERO} for an object never stored. If it is not the current
     *                tid of the oid at vote, that is a write conflict.
     * @param data    the record bytes, not null (use {@link #delete} for no data)
     */
    void store(long oid, long readTid, byte[] data);

    /** Deletes {@code oid}: a revision without data. Conflicts as a store does. */
    void delete(long oid, long readTid);

    /** Asserts that {@code oid} is still at {@code readTid} at vote, else {@link ReadConflictException}. */
    void checkCurrent(long oid, long readTid);

    /**
     * Undoes transaction {@code tid}: each of its objects goes back to the revision before it,
     * written as a backpointer revision. Conflicts if a later transaction changed one of them
     * and the change cannot be merged.
     *
     * @return the oids this undo will change
     * @throws UnsupportedOperationException without {@link Capability#UNDO}
     * @throws UndoException                 if the transaction is unknown or cannot be undone
     */
    long[] undo(long tid);

    /**
     * Takes the commit lock, checks every store and checkCurrent, resolves write conflicts
     * through the resolver registry where the storage supports it, and chooses the tid.
     *
     * @return oid → data for every store whose data was replaced by a resolved merge; the
     *         caller must drop its copy of those objects
     * @throws ConflictException     an unresolved write conflict (the transaction is aborted)
     * @throws ReadConflictException a failed checkCurrent (the transaction is aborted)
     */
    Map<Long, byte[]> vote();

    /** Publishes the transaction atomically and releases the commit lock. @return the commit tid */
    long finish();

    /** Abandons the transaction; releases the commit lock if held. Idempotent, safe in any state. */
    void abort();

    State state();

    enum State {
        ACTIVE,
        VOTED,
        FINISHED,
        ABORTED
    }
}
