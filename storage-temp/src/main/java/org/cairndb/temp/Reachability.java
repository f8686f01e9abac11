package org.cairndb.temp;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;
import org.cairndb.storage.Oid;
import org.cairndb.storage.RecordHeader;

/**
 * Marks the objects reachable from the root through record-header references. Foreign
 * records (no Cairn header) and records whose header cannot be read name nothing we can
 * follow, so they are roots themselves: pack must never remove what it cannot see into.
 */
final class Reachability {
    private Reachability() {}

    /**
     * @param oids    every oid holding data now
     * @param current oid → current data (null if none)
     * @return the reachable oids
     */
    static Set<Long> mark(Iterable<Long> oids, LongFunction<byte[]> current) {
        return mark(oids, current, oid -> false);
    }

    /** As {@link #mark(Iterable, LongFunction)}, with {@code alsoRoot} naming more roots. */
    static Set<Long> mark(Iterable<Long> oids, LongFunction<byte[]> current, LongPredicate alsoRoot) {
        Set<Long> marked = new HashSet<>();
        ArrayDeque<Long> todo = new ArrayDeque<>();
        todo.add(Oid.ROOT);
        for (Long oid : oids) {
            byte[] data = current.apply(oid);
            if (data != null && !RecordHeader.isCairnRecord(data) || alsoRoot.test(oid)) todo.add(oid);
        }
        while (!todo.isEmpty()) {
            long oid = todo.poll();
            if (!marked.add(oid)) continue;
            byte[] data = current.apply(oid);
            if (data == null || !RecordHeader.isCairnRecord(data)) continue;
            long[] refs;
            try {
                refs = RecordHeader.parse(data).header().references();
            } catch (RuntimeException corrupt) {
                continue; // unreadable header: kept (it is marked) but its references are unknown
            }
            for (long r : refs) if (!marked.contains(r)) todo.add(r);
        }
        return marked;
    }
}
