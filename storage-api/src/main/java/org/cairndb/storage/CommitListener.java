package org.cairndb.storage;

/**
 * Told of every transaction this storage object (or, for multi-writer storages, any process)
 * commits, in tid order, after it is visible to new views. Called on the committing thread
 * before finish returns (for local commits): keep it short and never block in it.
 * The server uses it to push invalidations to its clients (ZEO's invalidation broadcast;
 * in ZODB the storage calls its wrapper's {@code invalidate}).
 */
@FunctionalInterface
public interface CommitListener {
    void committed(long tid, long[] oids);

    /**
     * The storage cannot tell which oids changed up to {@code tid} (a {@code cairn://} client
     * reconnected to a server whose history does not reach back): treat everything derived
     * from its data as changed. Later commits are told through {@link #committed} again.
     */
    default void lostTrack(long tid) {}
}
