package org.cairndb.storage;

/**
 * A consistent snapshot of a storage as of {@link #tid()}: every load sees exactly the
 * transactions with tid &lt;= {@link #tid()}, whatever commits meanwhile, until {@link #sync()}.
 * The object layer opens one per connection and syncs it at transaction boundaries.
 * A view is used by one thread at a time.
 *
 * <p>For readers from ZODB: a view is the per-connection storage instance of an MVCC storage
 * ({@code IMVCCStorage.new_instance()}, RelStorage's per-connection instance, ZODB 5's
 * MVCCAdapterInstance), and {@link #sync()} is its {@code poll_invalidations()}.
 */
public interface StorageView extends AutoCloseable {

    /** The tid this view reads as of. */
    long tid();

    /**
     * The revision of {@code oid} current as of {@link #tid()}.
     *
     * @throws PosKeyException       if the object had no data then
     * @throws ReadConflictException if the storage dropped that revision (it should not,
     *                               while this view is open, for storages that keep what
     *                               open views need)
     */
    Loaded load(long oid);

    /**
     * A hint that {@code oids} are about to be loaded through this view: a storage over a
     * network fetches them now, many in one round trip, and answers their next {@link #load}
     * from what it fetched (the revision at {@link #tid()}, as a load would). Oids without data
     * are skipped (their load reports it). A storage without a network has nothing to gain
     * and does nothing (this default).
     */
    default void prefetch(long[] oids) {}

    /** Moves the view to the storage's last tid and reports what changed since the old one. */
    Invalidations sync();

    /** Releases the snapshot. Loads after close throw {@link StorageClosedException}. */
    @Override
    void close();
}
