package org.cairndb.remote;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.cairndb.storage.spi.SnapshotRecordCache;

/**
 * The client's record cache: an in-memory level, the same {@link SnapshotRecordCache} that
 * postgres:// shares per process (revisions with the snapshots they are current in, bounded
 * in bytes), and an optional persistent second level that survives restarts
 * ({@link PersistentCache}).
 *
 * <h2>Invariant</h2>
 * The memory level knows every invalidation up to the storage's last tid ({@link
 * #invalidate} is called with each commit, in order); a persistent record is the current
 * revision of its oid as of that tid. Puts, drops and invalidations come only from the
 * thread reading the connection (one at a time, see {@link ClientConnection}), in the order
 * frames arrive (see {@link RemoteStorage}'s load-versus-invalidation essay); reads come from
 * any thread.
 *
 * <h2>Alternatives rejected</h2>
 * A map of current records dropped on invalidation (this class's first version): a view
 * still open at an older tid then missed on everything that changed since it began, and the
 * cache was a second implementation of what postgres:// needed too. A soft-reference cache
 * (the JVM empties it under pressure, exactly when loads are expensive). A disabled cache
 * (size 0, no file) costs one branch.
 */
final class RecordCache {
    private final long maxBytes;
    private final PersistentCache persistent;
    private final SnapshotRecordCache memory;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    RecordCache(long maxBytes, PersistentCache persistent) {
        this.maxBytes = maxBytes;
        this.persistent = persistent;
        this.memory = new SnapshotRecordCache(Math.max(0, maxBytes));
    }

    boolean enabled() {
        return maxBytes > 0 || persistent != null;
    }

    /** The revision of oid current at {@code snapshotTid}, which must not be after the storage's last tid for the persistent level. */
    CachedRecord get(long oid, long snapshotTid) {
        if (!enabled()) return null;
        if (maxBytes > 0) {
            SnapshotRecordCache.Hit h = memory.get(oid, snapshotTid);
            if (h != null) {
                hits.increment();
                return new CachedRecord(oid, h.tid(), h.data());
            }
        }
        if (persistent != null) {
            synchronized (this) {
                // under the lock, so an invalidation by the reading thread cannot slip between
                // reading the persistent level and promoting the record to memory
                CachedRecord r = persistent.get(oid);
                long known = memory.knownTid();
                if (r != null
                        && Long.compareUnsigned(r.tid(), snapshotTid) <= 0
                        && Long.compareUnsigned(snapshotTid, known) <= 0) {
                    hits.increment();
                    if (maxBytes > 0) memory.put(oid, r.tid(), r.data(), known);
                    return r;
                }
            }
        }
        misses.increment();
        return null;
    }

    /** A record current as of {@code validAt} (the storage's last tid when it was proven current). Reading thread only. */
    void put(CachedRecord r, long validAt) {
        if (!enabled()) return;
        if (maxBytes > 0) memory.put(r.oid(), r.tid(), r.data(), validAt);
        if (persistent != null) {
            synchronized (this) {
                persistent.put(r);
            }
        }
    }

    /**
     * The commits in (from, tid] changed {@code oids} ({@code oneCommit}: one commit, tid,
     * changed exactly these): records older than tid stop being current. Reading thread only.
     */
    void invalidate(long from, long tid, long[] oids, boolean oneCommit) {
        if (!enabled()) return;
        synchronized (this) {
            // one INVALIDATE is one commit with every oid it changed: entries end exactly at tid; the
            // handshake's "changed since" groups changes at several tids under the last one
            memory.invalidate(from, tid, List.of(new SnapshotRecordCache.Commit(tid, oids)), oneCommit);
            if (persistent != null) for (long oid : oids) persistent.invalidate(oid, tid);
        }
    }

    /** Forgets every record; the cache is current (empty) as of {@code tid}. Reading thread only. */
    void clear(long tid) {
        synchronized (this) {
            memory.clear();
            memory.invalidate(tid, tid, List.of()); // knows nothing before tid: every later entry is new
            if (persistent != null) persistent.clear();
        }
    }

    /** Remembers the tid the cache is current as of (persistent level only). */
    void setLastTid(long tid) {
        if (persistent != null) persistent.setLastTid(tid);
    }

    long hits() {
        return hits.sum();
    }

    long misses() {
        return misses.sum();
    }

    int size() {
        return memory.size();
    }
    /** Records in the persistent level (-1 without one). */
    synchronized long persistentSize() {
        return persistent == null ? -1 : persistent.size();
    }

    void close() {
        if (persistent != null) persistent.close();
    }
}
