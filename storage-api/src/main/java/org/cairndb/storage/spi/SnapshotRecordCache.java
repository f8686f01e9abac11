package org.cairndb.storage.spi;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A record cache shared by every connection and view of a process that reads one database
 * (RelStorage's "local client"): one revision per oid, each with the range of snapshots it
 * is known to be the current revision in, bounded in bytes. Storages that read over a
 * network (postgres://) use it so that a new connection reads at memory speed; get one from
 * {@link SharedRecordCaches} so that every Storage object of the process for the same
 * database shares it.
 *
 * <h2>What an entry means</h2>
 * An entry {@code (oid, start, end, data)} says: the revision of oid written by transaction
 * {@code start} is the current one for every snapshot tid T with {@code start <= T < end}.
 * {@code end} is {@link #OPEN} for "still current as of {@link #knownTid()}": the cache has
 * applied the invalidations of every commit up to knownTid, and none replaced it. A view
 * at snapshot T is served an entry only if T lies in its range, and for an open entry only if
 * {@code knownTid >= T} (otherwise a commit in (knownTid, T] the cache has not heard of yet
 * may have replaced it). So a view never sees a revision that a commit at or before its
 * snapshot replaced, and never one newer than its snapshot.
 *
 * <h2>Feeding it</h2>
 * <ul>
 * <li>{@link #put} after a load: the loader says at which snapshot tid it read the revision.
 *     If no commit after that tid has been (or is being) applied, the entry is open: later
 *     invalidations will close it. Otherwise it is closed at the loader's tid + 1: valid for
 *     the snapshots known, never beyond.</li>
 * <li>{@link #put} after the process's own commit: the revision it wrote, valid at its tid.</li>
 * <li>{@link #invalidate} with the commits in (from, to]: every open entry of an oid they
 *     changed (after the entry's revision) is closed. Batches must come in tid order; a batch that does not start at or
 *     before knownTid leaves a gap the cache knows nothing about, so every open entry is closed
 *     at knownTid + 1 (correct, merely forgetful). Several feeders (Storage objects of one
 *     process) may offer the same batches: what is already applied is skipped.</li>
 * </ul>
 *
 * <h2>The load-versus-invalidation race</h2>
 * A loader may read revision r at snapshot T while a batch that replaces r (tid X &gt; T) is
 * being applied. {@link #invalidate} first publishes the batch's end as {@code pending},
 * then closes entries one oid at a time (each in the map's per-key lock), and only then
 * raises knownTid. A put decides "open or closed" inside the same per-key lock by reading
 * pending: if the batch reached the oid first, the put sees pending &gt; T and closes its entry;
 * if the put came first, the batch closes it afterwards. Either way r ends before X.
 * (The batch closes an open entry conservatively at max(start, knownTid) + 1: a batch read
 * from a pruned log may name only an oid's last change in the range, not its first. A feeder
 * whose commits list every change, as cairn://'s INVALIDATE frames do, says so, and the entry
 * then ends exactly at the commit that changed it.)
 *
 * <h2>Bound and eviction</h2>
 * Entries weigh their data plus 64 bytes. Over the budget, a CLOCK sweep over the oids in
 * insertion order drops entries not read since the hand last passed them (a read only sets
 * a flag: no list to reorder, no lock on the read path). An entry is at most one revision
 * per oid: the newest one put; an older revision offered by an old snapshot does not displace
 * it (that view reads from the database instead).
 *
 * <h2>Alternatives rejected</h2>
 * A revision per (oid, tid) pair with a per-oid chain (exact for every old snapshot, but the
 * chains need their own pruning and a new connection only ever asks for current data);
 * dropping entries on invalidation as the cairn:// client's cache does (an old view still
 * open, e.g. a long report, would then miss on everything that changed since it began).
 */
public final class SnapshotRecordCache {
    /** {@code end} of an entry still current as of {@link #knownTid()}. */
    public static final long OPEN = -1L; // the greatest unsigned tid

    private static final int ENTRY_OVERHEAD = 64;

    /** One revision and the snapshots it is current in; {@code used} is the CLOCK flag. */
    private static final class Entry {
        final long start;
        final long end;
        final byte[] data;
        volatile boolean used;

        Entry(long start, long end, byte[] data) {
            this.start = start;
            this.end = end;
            this.data = data;
        }

        long weight() {
            return data.length + (long) ENTRY_OVERHEAD;
        }
    }

    private final long maxBytes;
    private final ConcurrentHashMap<Long, Entry> map = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Long> clock = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytes = new AtomicLong();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    /** Every commit with a tid up to this one has been applied. */
    private volatile long knownTid;
    /** The end of the batch being applied (== knownTid when none is). */
    private volatile long pending;

    private final Object feed = new Object();
    private final Object sweeper = new Object();

    /** A cache of at most {@code maxBytes}, knowing no commit yet (knownTid 0: it serves nothing open until fed). */
    public SnapshotRecordCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The newest tid whose commits (and all before it) this cache has applied. */
    public long knownTid() {
        return knownTid;
    }

    /**
     * The revision of {@code oid} current at snapshot {@code snapshotTid}, as {tid, data}, or
     * null when the cache cannot prove one.
     */
    public @Nullable Hit get(long oid, long snapshotTid) {
        Entry e = map.get(oid);
        if (e != null
                && Long.compareUnsigned(e.start, snapshotTid) <= 0
                && (e.end == OPEN
                        ? Long.compareUnsigned(knownTid, snapshotTid) >= 0
                        : Long.compareUnsigned(snapshotTid, e.end) < 0)) {
            if (!e.used) e.used = true;
            hits.increment();
            return new Hit(e.start, e.data);
        }
        misses.increment();
        return null;
    }

    /** A revision the cache holds: the transaction that wrote it and its data (not to be modified). */
    public record Hit(long tid, byte[] data) {}

    /**
     * Offers the revision of {@code oid} written by {@code tid}, read as the current one at
     * snapshot {@code validAt} (&gt;= tid). {@code data} is kept, not copied: the caller must
     * not change it afterwards.
     */
    public void put(long oid, long tid, byte[] data, long validAt) {
        if (data == null || Long.compareUnsigned(validAt, tid) < 0) return;
        long w = data.length + (long) ENTRY_OVERHEAD;
        if (w > maxBytes / 8) return; // one record must not flush a large part of the cache
        long[] delta = {0};
        boolean[] added = {false};
        map.compute(oid, (k, old) -> {
            // read inside the key's lock: see "the load-versus-invalidation race"
            long end = Long.compareUnsigned(pending, validAt) <= 0 ? OPEN : validAt + 1;
            if (old != null) {
                int c = Long.compareUnsigned(old.start, tid);
                if (c > 0) return old; // a newer revision is cached already
                if (c == 0) {
                    if (old.end == OPEN || (end != OPEN && Long.compareUnsigned(old.end, end) >= 0)) return old;
                    return new Entry(tid, end, old.data); // same revision, known current longer
                }
                delta[0] -= old.weight();
            } else {
                added[0] = true;
            }
            delta[0] += w;
            return new Entry(tid, end, data);
        });
        if (added[0]) clock.add(oid);
        if (delta[0] != 0 && bytes.addAndGet(delta[0]) > maxBytes) evict();
    }

    /** One commit of the stream: its tid and the oids it changed. */
    public record Commit(long tid, long[] oids) {}

    /**
     * Applies the commits in (from, to], in tid order: {@code commits} holds every commit in
     * that range (a log read from a pruned range may group an oid's changes under its last
     * one). Commits at or before knownTid are skipped (another feeder applied them); a range
     * starting after knownTid is a gap (see the class note).
     */
    public void invalidate(long from, long to, java.util.List<Commit> commits) {
        invalidate(from, to, commits, false);
    }

    /**
     * As {@link #invalidate(long, long, java.util.List)}; {@code everyChange} true says each
     * commit lists every oid it changed (a commit stream, not a pruned log), so an entry ends
     * exactly at the first commit that changed its oid.
     */
    public void invalidate(long from, long to, java.util.List<Commit> commits, boolean everyChange) {
        synchronized (feed) {
            long known = knownTid;
            if (Long.compareUnsigned(to, known) <= 0) return; // applied already (another feeder)
            pending = to;
            if (Long.compareUnsigned(from, known) > 0) {
                closeAllOpen(known); // a gap: the changes in (known, from] are unknown
            } else {
                for (Commit c : commits) {
                    if (Long.compareUnsigned(c.tid(), known) <= 0) continue;
                    for (long oid : c.oids()) {
                        map.computeIfPresent(oid, (k, e) -> {
                            if (e.end != OPEN || Long.compareUnsigned(e.start, c.tid()) >= 0) return e;
                            if (everyChange) return new Entry(e.start, c.tid(), e.data);
                            // ended by a change in (max(start, known), tid]; which one a pruned log may not say
                            long at = Long.compareUnsigned(e.start, known) > 0 ? e.start : known;
                            return new Entry(e.start, at + 1, e.data);
                        });
                    }
                }
            }
            knownTid = to;
        }
    }

    /**
     * Every open entry is closed after {@code known} (or its own start): after a gap in the
     * commit stream, or when a storage cannot tell what changed (a pack, a restore).
     */
    private void closeAllOpen(long known) {
        for (Long oid : map.keySet()) {
            map.computeIfPresent(oid, (k, e) -> {
                if (e.end != OPEN) return e;
                long at = Long.compareUnsigned(e.start, known) > 0 ? e.start : known;
                return new Entry(e.start, at + 1, e.data);
            });
        }
    }

    /**
     * Forgets every entry, and that the cache knows any commit: after a pack or a bulk
     * restore rewrote the database under it. Feeding starts over at the next batch.
     */
    public void clear() {
        synchronized (feed) {
            synchronized (sweeper) {
                pending = OPEN; // a put racing with this one closes its entry
                map.clear();
                clock.clear();
                bytes.set(0);
                knownTid = 0;
                pending = 0;
            }
        }
    }

    /** Drops entries the CLOCK hand finds unused until the cache is at 7/8 of its budget. */
    private void evict() {
        synchronized (sweeper) {
            long target = maxBytes - maxBytes / 8;
            int budget = map.size() * 2 + 16; // each oid is passed at most twice (once to clear its flag)
            while (bytes.get() > target && budget-- > 0) {
                Long oid = clock.poll();
                if (oid == null) break;
                Entry e = map.get(oid);
                if (e == null) continue;
                if (e.used) {
                    e.used = false;
                    clock.add(oid);
                    continue;
                }
                if (map.remove(oid, e)) {
                    bytes.addAndGet(-e.weight());
                } else {
                    clock.add(oid); // replaced meanwhile: it stays, and keeps its place in the sweep
                }
            }
        }
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    public int size() {
        return map.size();
    }

    public long bytes() {
        return bytes.get();
    }
}
