package org.cairndb.client.conflict;

import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Three-way merges for conflict resolution, used by the collections and open to
 * application classes.
 */
public final class Merge {
    private Merge() {}

    /** True if two values have the same stored state; persistent references compare by oid. */
    public static boolean sameState(Object a, Object b) {
        return ObjectConflictResolver.sameState(a, b);
    }

    /**
     * Merges key-level changes of two maps made from one ancestor into {@code out}: a key
     * changed (added, removed or given a different value) on one side only takes that side's
     * version; a key changed on both sides is a conflict.
     *
     * @return {@code out}, or null on a conflict
     */
    public static <K, V> Map<K, V> keyed(Map<K, V> ancestor, Map<K, V> committed, Map<K, V> mine, Map<K, V> out) {
        Set<K> keys = new HashSet<>(ancestor.keySet());
        keys.addAll(committed.keySet());
        keys.addAll(mine.keySet());
        for (K k : keys) {
            boolean inA = ancestor.containsKey(k), inC = committed.containsKey(k), inM = mine.containsKey(k);
            V a = ancestor.get(k), c = committed.get(k), m = mine.get(k);
            boolean cChanged = inA != inC || (inA && !sameState(a, c));
            boolean mChanged = inA != inM || (inA && !sameState(a, m));
            if (cChanged && mChanged) return null;
            boolean present = cChanged ? inC : inM;
            if (present) out.put(k, cChanged ? c : m);
        }
        return out;
    }

    /**
     * Merges a single field: the side that changed it wins; changed on both sides to
     * different values is a conflict (reported as {@code conflict}).
     */
    public static <T> T field(T ancestor, T committed, T mine, T conflict) {
        if (sameState(ancestor, committed)) return mine;
        if (sameState(ancestor, mine) || sameState(committed, mine)) return committed;
        return conflict;
    }

    static boolean equalsNullable(Object a, Object b) {
        return Objects.equals(a, b);
    }
}
