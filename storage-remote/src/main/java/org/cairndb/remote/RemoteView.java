package org.cairndb.remote;

import org.cairndb.protocol.Message;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadReader;
import org.cairndb.storage.Invalidations;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.StorageClosedException;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;

/**
 * A snapshot of a {@link RemoteStorage}, backed by a view the server holds open for it: a
 * storage that keeps old revisions only for open views (temp:) keeps them for this one too,
 * so conflict resolution finds its ancestors and loads at the view's tid are exact.
 *
 * <p>Loads come from the record cache when the cached revision is provably the one at the
 * view's tid (see {@link RemoteStorage#viewLoad}), else from the server's view; records fetched
 * ahead by {@link #prefetch} answer first. {@link #sync()}
 * moves the server's view and reports what it reports. After a reconnect the server's view
 * is gone: loads fail with a retryable error until {@link #sync()}, which opens a new one and
 * reports the changes from the client's invalidation log (or "all").
 */
final class RemoteView implements StorageView {
    private final RemoteStorage storage;
    private final ClientConnection conn;
    private final long id;
    private long tid;
    private int generation;
    private boolean closed;
    /** Requests per pipelined batch: their bytes (about 20 each) must fit the socket buffers, as the answers are read only after all are written. */
    static final int BATCH = 128;
    /** Prefetched records held at most, in number and (checked before each batch) in bytes. */
    static final int MAX_HELD = 16_384;

    static final long MAX_HELD_BYTES = 64L << 20;
    private long heldBytes;
    /** Prefetched records at this view's tid, not loaded yet; emptied by sync. */
    private final java.util.HashMap<Long, Loaded> prefetched = new java.util.HashMap<>();

    RemoteView(RemoteStorage storage, ClientConnection conn, long id) {
        this.storage = storage;
        this.conn = conn;
        this.id = id;
        open();
    }

    private void open() {
        generation = conn.generation();
        tid = conn.call(Op.OPEN_VIEW, new Message.OpenView(id).payload(), generation, null)
                .reader()
                .i64();
    }

    long id() {
        return id;
    }

    int generation() {
        return generation;
    }

    @Override
    public long tid() {
        return tid;
    }

    @Override
    public Loaded load(long oid) {
        checkOpen();
        if (!prefetched.isEmpty()) {
            Loaded l = prefetched.remove(oid);
            if (l != null) {
                heldBytes -= l.data().length;
                return l;
            }
        }
        return storage.viewLoad(this, oid);
    }

    /**
     * Loads the oids not already held, {@link #BATCH} pipelined VIEW_LOADs per round trip, and
     * holds the records until their load (each is taken once) or the next {@link #sync()}: they
     * are the revisions at this view's tid, so holding them is exactly as correct as loading
     * later. At most {@link #MAX_HELD} records and {@link #MAX_HELD_BYTES} are held; a prefetch
     * beyond that is ignored (it is a hint).
     */
    @Override
    public void prefetch(long[] oids) {
        checkOpen();
        long[] want = new long[Math.max(0, Math.min(oids.length, MAX_HELD - prefetched.size()))];
        int n = 0;
        java.util.HashSet<Long> asked = new java.util.HashSet<>();
        for (long oid : oids) {
            if (n == want.length) break;
            if (!prefetched.containsKey(oid) && asked.add(oid)) want[n++] = oid;
        }
        for (int from = 0; from < n && heldBytes < MAX_HELD_BYTES; from += BATCH) {
            long[] part = java.util.Arrays.copyOfRange(want, from, Math.min(n, from + BATCH));
            Loaded[] got = storage.viewLoadMany(this, part);
            for (Loaded l : got) {
                if (l != null && prefetched.putIfAbsent(l.oid(), l) == null) heldBytes += l.data().length;
            }
        }
    }

    @Override
    public Invalidations sync() {
        checkOpen();
        prefetched.clear(); // they were at the old tid
        heldBytes = 0;
        storage.checkOpen();
        if (conn.currentGeneration() != generation) {
            long old = tid;
            open();
            return storage.invalidationsBetween(old, tid);
        }
        PayloadReader r = conn.call(Op.VIEW_SYNC, new Message.ViewSync(id).payload(), generation, null)
                .reader();
        long from = r.i64();
        long to = r.i64();
        boolean all = r.bool();
        long[] oids = r.longs();
        tid = to;
        return new Invalidations(from, to, oids, all);
    }

    private void checkOpen() {
        if (closed) throw new StorageClosedException("view at tid " + Tid.describe(tid) + " of " + storage.name());
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        prefetched.clear();
        heldBytes = 0;
        conn.sendIfConnected(Op.VIEW_CLOSE, new Message.ViewClose(id).payload(), generation);
    }
}
