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
}
