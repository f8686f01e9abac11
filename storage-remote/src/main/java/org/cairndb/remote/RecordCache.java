package org.cairndb.remote;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client's record cache: current revisions by oid, bounded by bytes in memory (least
 * recently used dropped first), with an optional persistent second level that survives
 * restarts ({@link PersistentCache}).
 *
 * <h2>Invariant</h2>
 * An entry {@code (oid, tid)} is the current revision of oid as of the storage's last tid.
 * Entries are put and dropped only by the thread reading the connection (one at a time, see
 * {@link ClientConnection}), in the order frames arrive
 * (see {@link RemoteStorage}'s load-versus-invalidation essay); reads come from any thread.
 *
 * <h2>Alternatives rejected</h2>
 * A ConcurrentHashMap without bound (memory grows with the database) and a soft-reference
 * cache (the JVM empties it under pressure, exactly when loads are expensive). An
 * access-ordered LinkedHashMap under one lock is simple and fast enough next to a network
 * round trip; a disabled cache (size 0) costs one branch.
 */
final class RecordCache {
    private final long maxBytes;
    private final PersistentCache persistent;
    private final LinkedHashMap<Long, CachedRecord> map = new LinkedHashMap<>(1024, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;

    RecordCache(long maxBytes, PersistentCache persistent) {
        this.maxBytes = maxBytes;
        this.persistent = persistent;
    }

    boolean enabled() {
        return maxBytes > 0 || persistent != null;
    }

    CachedRecord get(long oid) {
        if (!enabled()) return null;
        CachedRecord r;
        synchronized (this) {
            r = map.get(oid);
            if (r != null) {
                hits++;
                return r;
            }
        }
        if (persistent != null) {
            synchronized (this) {
                // under the lock, so a drop by the reading thread cannot slip between reading the
                // persistent level and promoting the record to memory
                r = persistent.get(oid);
                if (r != null) {
                    hits++;
                    putMemory(r);
                    return r;
                }
            }
        }
        synchronized (this) {
            misses++;
        }
        return null;
    }

    /** Reading thread only. */
    void put(CachedRecord r) {
        if (!enabled()) return;
        synchronized (this) {
            putMemory(r);
            if (persistent != null) persistent.put(r);
        }
    }

    private void putMemory(CachedRecord r) {
        if (maxBytes <= 0) return;
        CachedRecord old = map.put(r.oid(), r);
        if (old != null) bytes -= weight(old);
        bytes += weight(r);
        if (bytes > maxBytes) {
            Iterator<Map.Entry<Long, CachedRecord>> it = map.entrySet().iterator();
            while (bytes > maxBytes && it.hasNext()) {
                bytes -= weight(it.next().getValue());
                it.remove();
            }
        }
    }

    /** Drops oid if the cached revision is older than {@code tid}. Reading thread only. */
    void invalidate(long oid, long tid) {
        if (!enabled()) return;
        synchronized (this) {
            CachedRecord r = map.get(oid);
            if (r != null && Long.compareUnsigned(r.tid(), tid) < 0) {
                map.remove(oid);
                bytes -= weight(r);
            }
            if (persistent != null) persistent.invalidate(oid, tid);
        }
    }

    /** Reading thread only. */
    void clear() {
        synchronized (this) {
            map.clear();
            bytes = 0;
            if (persistent != null) persistent.clear();
        }
    }

    /** Remembers the tid the cache is current as of (persistent level only). */
    void setLastTid(long tid) {
        if (persistent != null) persistent.setLastTid(tid);
    }

    synchronized long hits() { return hits; }
    synchronized long misses() { return misses; }
    synchronized int size() { return map.size(); }
    /** Records in the persistent level (-1 without one). */
    synchronized long persistentSize() { return persistent == null ? -1 : persistent.size(); }

    private static long weight(CachedRecord r) {
        return r.data().length + 64L;
    }

    void close() {
        if (persistent != null) persistent.close();
    }
}
