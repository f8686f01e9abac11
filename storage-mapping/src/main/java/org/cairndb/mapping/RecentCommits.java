package org.cairndb.mapping;

import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import org.cairndb.storage.Invalidations;

/**
 * The oids of recent commits, so a snapshot's sync can say what changed. Entries no open
 * snapshot can ask for are dropped at each commit; beyond {@link #LIMIT} entries the oldest go
 * too, and a snapshot older than them is told that everything may have changed.
 */
final class RecentCommits {
    static final int LIMIT = 100_000;

    private final ConcurrentSkipListMap<Long, long[]> byTid = new ConcurrentSkipListMap<>();
    private volatile long trimmedUpTo;
    private int count; // changed under the commit lock only

    void add(long tid, long[] oids) {
        byTid.put(tid, oids);
        count++;
    }

    /** Caller holds the commit lock. Keeps the commits after {@code oldestReader}. */
    void trim(long oldestReader) {
        while (!byTid.isEmpty()) {
            Map.Entry<Long, long[]> first = byTid.firstEntry();
            if (first.getKey() > oldestReader && count <= LIMIT) break;
            byTid.pollFirstEntry();
            count--;
            trimmedUpTo = Math.max(trimmedUpTo, first.getKey());
        }
    }

    Invalidations between(long from, long to) {
        if (to <= from) return Invalidations.none(from);
        TreeSet<Long> oids = new TreeSet<>();
        for (long[] a : byTid.subMap(from, false, to, true).values()) for (long o : a) oids.add(o);
        if (trimmedUpTo > from) return new Invalidations(from, to, new long[0], true);
        return new Invalidations(from, to, oids.stream().mapToLong(Long::longValue).toArray(), false);
    }
}
