package org.cairndb.client.remote;

import org.cairndb.storage.Invalidations;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.StorageClosedException;
import org.cairndb.storage.StorageView;

/**
 * A snapshot of a {@link RemoteStorage} at a tid: loads come from the cache when the cached
 * revision is no newer than the view, else from the server as loadBefore(oid, tid + 1).
 * {@link #sync()} answers from the client's invalidation log, without a round trip.
 */
final class RemoteView implements StorageView {
    private final RemoteStorage storage;
    private long tid;
    private boolean closed;

    RemoteView(RemoteStorage storage, long tid) {
        this.storage = storage;
        this.tid = tid;
    }

    @Override
    public long tid() {
        return tid;
    }

    @Override
    public Loaded load(long oid) {
        if (closed) throw new StorageClosedException("view at tid " + org.cairndb.storage.Tid.describe(tid) + " of " + storage.name());
        return storage.loadAt(oid, tid);
    }

    @Override
    public Invalidations sync() {
        if (closed) throw new StorageClosedException("view of " + storage.name());
        long now = storage.lastTid();
        Invalidations inv = storage.invalidationsBetween(tid, now);
        tid = now;
        return inv;
    }

    @Override
    public void close() {
        closed = true;
    }
}
