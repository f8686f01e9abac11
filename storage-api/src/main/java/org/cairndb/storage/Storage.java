package org.cairndb.storage;

import java.util.List;
import java.util.Set;

/**
 * A storage keeps records {@code (oid, tid, data)} and commits them in transactions. It does
 * not interpret data except through {@link RecordHeader} (class name for conflict
 * resolution, references for pack).
 *
 * <h2>Contract (the conformance kit checks every line)</h2>
 * <ul>
 * <li>{@link #load} returns the current revision; {@link #loadBefore} the newest revision with
 *     tid &lt; the given tid. A missing oid, or one without data at that time, is a
 *     {@link PosKeyException}, never null.</li>
 * <li>{@link #newOids} never returns the same oid twice (across processes for
 *     {@link Capability#MULTI_WRITER} storages). Oid 0 is the root; it is never handed out.</li>
 * <li>Counts and limits of 0 ask for nothing and get nothing ({@code newOids(0)},
 *     {@code history(oid, 0)}: empty); negative ones are a {@link StorageMisuseException}.</li>
 * <li>Two-phase commit through {@link #begin}: store/checkCurrent... → vote → finish | abort.
 *     Conflicts are found at vote at the latest. After finish every new view sees the whole
 *     transaction; before it, none of it.</li>
 * <li>Tids only grow: every committed tid is greater than {@link #lastTid()} before it.</li>
 * <li>Iteration in tid order returns every transaction with its metadata and revisions,
 *     including revisions without data and backpointers, so {@link #restore} reproduces it.</li>
 * </ul>
 * All methods are thread-safe. Methods of a closed storage throw {@link StorageClosedException}.
 */
public interface Storage extends AutoCloseable {

    /** A name for messages: usually the URI it was opened from (without password). */
    String name();

    Set<Capability> capabilities();

    default boolean supports(Capability c) {
        return capabilities().contains(c);
    }

    /**
     * True when a commit's finish crosses a network (to a server or a database), so it can
     * fail after the commit happened or with its outcome unknown. A commit across several
     * storages finishes these first and the local ones last, so a failure of the finish most
     * likely to fail leaves nothing committed.
     */
    default boolean remote() {
        return false;
    }

    /** The tid of the last committed transaction, {@link Tid#ZERO} for an empty storage. */
    long lastTid();

    /**
     * The last tid as this process already knows it, without a round trip: for a
     * {@code cairn://} client, the last commit whose invalidation it applied. Defaults to
     * {@link #lastTid()}; caches call it on every hit.
     */
    default long knownLastTid() {
        return lastTid();
    }

    /** The current revision of {@code oid}. @throws PosKeyException if it has none (never stored, or deleted) */
    Loaded load(long oid);

    /**
     * The newest revision of {@code oid} with tid &lt; {@code beforeTid}.
     *
     * @throws PosKeyException       if the object had no data before that tid
     * @throws ReadConflictException if the storage no longer keeps the revision needed (it
     *                               drops history) and cannot answer without newer data
     */
    Loaded loadBefore(long oid, long beforeTid);

    /** The revision of {@code oid} written exactly by {@code tid}. @throws PosKeyException if there is none (kept) */
    Loaded loadSerial(long oid, long tid);

    /**
     * {@code count} fresh oids, never handed out before by this storage; an empty array for 0.
     *
     * @throws StorageMisuseException if {@code count} is negative
     */
    long[] newOids(int count);

    /** Starts a transaction. Nothing is locked until vote. */
    StorageTransaction begin(TransactionMetadata metadata);

    /** A snapshot view at {@link #lastTid()}; close it when done so old revisions can be freed. */
    StorageView openView();

    /**
     * Committed transactions with {@code fromTid <= tid <= toTid}, in tid order.
     * Use {@link Tid#ZERO} and {@link Tid#MAX} for all of them.
     */
    CloseableIterator<TransactionRecord> iterator(long fromTid, long toTid);

    /**
     * Up to {@code max} revisions of {@code oid} as of {@link #lastTid()}, newest first (storages
     * without history give the current one, and any older one an open snapshot still holds);
     * an empty list for {@code max} 0. An oid never stored has an empty history or is a
     * {@link PosKeyException}.
     *
     * @throws StorageMisuseException if {@code max} is negative
     */
    List<HistoryEntry> history(long oid, int max);

    /**
     * Removes revisions no longer needed as of {@code beforeTid} (history storages keep the
     * revision current at that tid and every later one), then removes every object not
     * reachable from the root through {@link RecordHeader} references. Foreign records (no
     * header) are treated as holding references to nothing they can name, and so as GC roots.
     *
     * @throws UnsupportedOperationException when the storage lacks {@link Capability#PACK}
     */
    PackResult pack(long beforeTid, PackProgress progress);

    /**
     * Commits a transaction under its given tid, metadata and revisions, without conflict
     * checks: the path of copy and import.
     *
     * @throws StorageMisuseException if {@code txn.tid()} is not greater than {@link #lastTid()}
     */
    void restore(TransactionRecord txn);

    /** Registers a listener for commits. Closing the returned handle unregisters it. */
    AutoCloseable addCommitListener(CommitListener listener);

    /** Number of objects that currently have data. */
    long objectCount();

    /**
     * Bytes the storage really occupies, or -1 when it cannot tell: the disk blocks its files
     * take (not their length: a sparse file counts its data only), its tables, or the memory its
     * records take (not memory merely reserved for records not yet written).
     */
    default long sizeInBytes() {
        return -1;
    }

    /** Closes the storage; open transactions are aborted and waiters woken with {@link StorageClosedException}. */
    @Override
    void close();
}
