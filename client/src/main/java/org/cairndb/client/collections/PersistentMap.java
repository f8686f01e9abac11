package org.cairndb.client.collections;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.cairndb.client.Persistent;
import org.cairndb.client.conflict.Merge;
import org.cairndb.client.conflict.Resolvable;

/**
 * A map stored as one record (keys and values inline; persistent values as references).
 * Good for small and middle-sized maps such as the root; for large ones use
 * {@link org.cairndb.client.btree.BTreeMap}, whose buckets are separate records.
 *
 * <p>Concurrent changes to different keys merge; changes to one key conflict. Changes go
 * through the map's own methods ({@code put}, {@code remove}, {@code clear}); its views
 * ({@code keySet()}, {@code values()}, {@code entrySet()}) are read-only. Insertion order is kept.
 */
public class PersistentMap<K, V> extends Persistent implements Map<K, V>, Resolvable<PersistentMap<K, V>> {
    private LinkedHashMap<K, V> map = new LinkedHashMap<>();

    public PersistentMap() {}

    public PersistentMap(Map<? extends K, ? extends V> initial) {
        map.putAll(initial);
    }

    @Override public int size() { activate(); return map.size(); }
    @Override public boolean isEmpty() { activate(); return map.isEmpty(); }
    @Override public boolean containsKey(Object key) { activate(); return map.containsKey(key); }
    @Override public boolean containsValue(Object value) { activate(); return map.containsValue(value); }
    @Override public V get(Object key) { activate(); return map.get(key); }

    @Override
    public V put(K key, V value) {
        changing();
        return map.put(key, value);
    }

    @Override
    public V remove(Object key) {
        activate();
        if (!map.containsKey(key)) return null;
        changing();
        return map.remove(key);
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        changing();
        map.putAll(m);
    }

    @Override
    public void clear() {
        changing();
        map.clear();
    }

    @Override public Set<K> keySet() { activate(); return Collections.unmodifiableSet(map.keySet()); }
    @Override public java.util.Collection<V> values() { activate(); return Collections.unmodifiableCollection(map.values()); }
    @Override public Set<Entry<K, V>> entrySet() { activate(); return Collections.unmodifiableMap(map).entrySet(); }

    @Override
    public boolean equals(Object o) {
        return o == this;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        activate();
        return "PersistentMap" + new HashMap<>(map);
    }

    @Override
    public PersistentMap<K, V> resolve(PersistentMap<K, V> ancestor, PersistentMap<K, V> committed, PersistentMap<K, V> mine) {
        if (ancestor == null) return null;
        Map<K, V> merged = Merge.keyed(ancestor.map, committed.map, mine.map, new LinkedHashMap<>());
        if (merged == null) return null;
        // keep the committed order, then new keys in mine's order
        LinkedHashMap<K, V> ordered = new LinkedHashMap<>();
        for (K k : committed.map.keySet()) if (merged.containsKey(k)) ordered.put(k, merged.get(k));
        for (K k : mine.map.keySet()) if (merged.containsKey(k)) ordered.putIfAbsent(k, merged.get(k));
        committed.map = ordered;
        return committed;
    }
}
