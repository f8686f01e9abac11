package org.cairndb.storage.spi;

import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import org.cairndb.storage.Invalidations;

/**
 * The oids of recent commits, so a snapshot's sync can say what changed (part of the
 * in-memory MVCC core {@code mem:} and {@code temp:} share). Entries no open snapshot can ask
 * for are dropped at each commit; beyond {@link #LIMIT} entries the oldest go too, and a
 * snapshot older than them is told that everything may have changed.
 */
public final class RecentCommits {
    /** How many recent commits a snapshot's sync can enumerate before it reports "all invalid". */
    public static final int LIMIT = 100_000;

    private final ConcurrentSkipListMap<Long, long[]> byTid = new ConcurrentSkipListMap<>();
    private volatile long trimmedUpTo;
    private int count; // changed under the commit lock only

    /** Caller holds the commit lock. */
    public void add(long tid, long[] oids) {
        byTid.put(tid, oids);
        count++;
    }

    /** Caller holds the commit lock. Keeps the commits after {@code oldestReader}. */
    public void trim(long oldestReader) {
        while (!byTid.isEmpty()) {
            Map.Entry<Long, long[]> first = byTid.firstEntry();
            if (first.getKey() > oldestReader && count <= LIMIT) break;
            byTid.pollFirstEntry();
            count--;
            trimmedUpTo = Math.max(trimmedUpTo, first.getKey());
        }
    }

    /** What a snapshot moving from {@code from} to {@code to} must invalidate. */
    public Invalidations between(long from, long to) {
        if (to <= from) return Invalidations.none(from);
        TreeSet<Long> oids = new TreeSet<>();
        for (long[] a : byTid.subMap(from, false, to, true).values()) for (long o : a) oids.add(o);
        if (trimmedUpTo > from) return new Invalidations(from, to, new long[0], true);
        return new Invalidations(
                from, to, oids.stream().mapToLong(Long::longValue).toArray(), false);
    }
}
