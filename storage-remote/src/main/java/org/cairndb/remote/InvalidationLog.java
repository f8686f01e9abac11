package org.cairndb.remote;

import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import org.cairndb.storage.Invalidations;

/**
 * The commits this client has heard of, newest last, bounded: what {@link RemoteView#sync()}
 * reports without asking the server. When a view's tid is older than the oldest entry the
 * answer is "all" (the caller drops everything), never a partial list.
 */
final class InvalidationLog {
    private record Entry(long tid, long[] oids) {}

    private final int capacity;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    /** Every commit with tid > floor is in {@link #entries}. */
    private long floor;

    InvalidationLog(int capacity, long floor) {
        this.capacity = Math.max(1, capacity);
        this.floor = floor;
    }

    synchronized void add(long tid, long[] oids) {
        entries.addLast(new Entry(tid, oids));
        while (entries.size() > capacity) floor = entries.removeFirst().tid;
    }

    /** Forget everything: the client could not learn what changed up to {@code tid}. */
    synchronized void reset(long tid) {
        entries.clear();
        floor = tid;
    }

    synchronized Invalidations between(long from, long to) {
        if (from == to) return Invalidations.none(to);
        if (Long.compareUnsigned(from, floor) < 0 || Long.compareUnsigned(from, to) > 0)
            return new Invalidations(from, to, new long[0], true);
        LinkedHashSet<Long> set = new LinkedHashSet<>();
        for (Entry e : entries) {
            if (Long.compareUnsigned(e.tid, from) > 0 && Long.compareUnsigned(e.tid, to) <= 0)
                for (long o : e.oids) set.add(o);
        }
        long[] a = new long[set.size()];
        int i = 0;
        for (long o : set) a[i++] = o;
        return new Invalidations(from, to, a, false);
    }
}
