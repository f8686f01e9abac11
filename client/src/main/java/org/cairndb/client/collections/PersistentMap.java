package org.cairndb.client.collections;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.cairndb.client.Connection;
import org.cairndb.client.Persistent;
import org.cairndb.client.PersistentState;
import org.cairndb.client.conflict.Merge;
import org.cairndb.client.conflict.Resolvable;

/**
 * A map stored as one record (keys and values inline; persistent values as references).
 * Good for small and middle-sized maps such as the root; for large ones use
 * {@link org.cairndb.client.btree.BTreeMap}, whose buckets are separate records.
 *
 * <p>It behaves as a {@link LinkedHashMap} (insertion order): iteration follows the order in
 * which keys were first put, a put of a present key keeps its place, and {@code equals},
 * {@code hashCode} and {@code toString} are those of any {@link Map} (so it equals a
 * {@code HashMap} or {@code TreeMap} with the same entries, and they equal it). The views
 * ({@code keySet()}, {@code values()}, {@code entrySet()}) are live and writable: removals
 * through them and their iterators and {@code setValue} on iterated entries are tracked as
 * {@code remove} and {@code put} are. One difference: after a concurrent commit was merged
 * into this map, the order is the committed transaction's, followed by the keys only this
 * transaction added.
 *
 * <p>Concurrent changes to different keys merge; changes to one key conflict.
 *
 * <h2>What the key-level merge guarantees</h2>
 * A merge is the result of the two transactions run one after the other as long as what each
 * wrote does not depend on keys it only read. The map's own operations keep that:
 * {@code put} is a blind write of its key; {@code remove} of a present key changes that key,
 * which the merge sees. Two rare cases would otherwise be lost updates or write skew, so they
 * ask commit to check that the whole map is unchanged ({@link org.cairndb.client.Connection#readCurrent
 * readCurrent}), which also turns off merging of this map for the transaction:
 * <ul>
 * <li>a {@code put} or {@code remove} that leaves its key as it was in the transaction's
 *     snapshot (a put of the value the key had, a remove of an absent key, a put of a new key
 *     undone by a remove) leaves no trace in the state, so the merge cannot see that the key
 *     was written (or, for the remove, read) and would keep a concurrent change of it; the
 *     map notes (in a field that is not stored) each written key's snapshot value to spot this;</li>
 * <li>{@code clear} removes keys a concurrent transaction may be adding.</li>
 * </ul>
 * Decisions an application takes on {@code get}, {@code containsKey}, {@code size} or the views
 * (for example "put b if a is absent") are not tracked key by key: call
 * {@code connection().readCurrent(map)} to make such a transaction serializable; it then
 * conflicts with any concurrent change of the map instead of merging.
 *
 * <p><i>Alternative rejected:</i> recording the keys read in the stored state, so resolution
 * could compare them: it costs every record a read set that must be emptied at each commit,
 * for rare cases. ZODB's {@code PersistentMapping} does not merge at all; key-level merges
 * with these checks are strictly more concurrent and still serializable.
 */
public class PersistentMap<K, V> extends Persistent implements Map<K, V>, Resolvable<PersistentMap<K, V>> {
    private static final Object ABSENT = new Object();
    private LinkedHashMap<K, V> map = new LinkedHashMap<>();
    /** Keys written in the current transaction → their value in its snapshot (not stored). */
    private transient HashMap<Object, Object> snapshotOfWritten;

    public PersistentMap() {}

    public PersistentMap(Map<? extends K, ? extends V> initial) {
        map.putAll(initial);
    }

    @Override
    public int size() {
        activate();
        return map.size();
    }

    @Override
    public boolean isEmpty() {
        activate();
        return map.isEmpty();
    }

    @Override
    public boolean containsKey(Object key) {
        activate();
        return map.containsKey(key);
    }

    @Override
    public boolean containsValue(Object value) {
        activate();
        return map.containsValue(value);
    }

    @Override
    public V get(Object key) {
        activate();
        return map.get(key);
    }

    @Override
    public V put(K key, V value) {
        activate();
        Object before = snapshotValue(key);
        changing();
        V old = map.put(key, value);
        written(key, before);
        return old;
    }

    @Override
    public V remove(Object key) {
        activate();
        Object before = snapshotValue(key);
        if (!map.containsKey(key)) {
            written(key, before); // nothing to write, but the outcome rests on the key being absent
            return null;
        }
        changing();
        V old = map.remove(key);
        written(key, before);
        return old;
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        for (Entry<? extends K, ? extends V> e : m.entrySet()) put(e.getKey(), e.getValue());
    }

    @Override
    public void clear() {
        changing();
        readCurrent(); // a merge would keep keys a concurrent transaction added before this clear committed
        map.clear();
    }

    /**
     * The value {@code key} had in this transaction's snapshot ({@link #ABSENT} if none), noted
     * before the transaction's first write of the key. Until the first change of a transaction
     * the map is its snapshot, so the notes start afresh then.
     */
    private Object snapshotValue(Object key) {
        if (snapshotOfWritten == null || persistentState() != PersistentState.CHANGED)
            snapshotOfWritten = new HashMap<>();
        if (!snapshotOfWritten.containsKey(key))
            snapshotOfWritten.put(key, map.containsKey(key) ? map.get(key) : ABSENT);
        return snapshotOfWritten.get(key);
    }

    /** After a write of {@code key}: if it left the key as in the snapshot, the merge could not see the write. */
    private void written(Object key, Object before) {
        boolean present = map.containsKey(key);
        boolean asBefore = before == ABSENT ? !present : present && Merge.sameState(before, map.get(key));
        if (asBefore) readCurrent();
    }

    private void readCurrent() {
        Connection c = connection();
        if (c != null) c.readCurrent(this);
    }

    // ---- views: live and writable, every change through the tracking of put/remove ----

    @Override
    public Set<K> keySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<K> iterator() {
                return new Iter<>(Entry::getKey);
            }

            @Override
            public int size() {
                return PersistentMap.this.size();
            }

            @Override
            public boolean contains(Object o) {
                return containsKey(o);
            }

            @Override
            public void clear() {
                PersistentMap.this.clear();
            }

            @Override
            public boolean remove(Object o) {
                if (!containsKey(o)) return false;
                PersistentMap.this.remove(o);
                return true;
            }
        };
    }

    @Override
    public Collection<V> values() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<V> iterator() {
                return new Iter<>(Entry::getValue);
            }

            @Override
            public int size() {
                return PersistentMap.this.size();
            }

            @Override
            public boolean contains(Object o) {
                return containsValue(o);
            }

            @Override
            public void clear() {
                PersistentMap.this.clear();
            }
        };
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<K, V>> iterator() {
                return new Iter<>(TrackedEntry::new);
            }

            @Override
            public int size() {
                return PersistentMap.this.size();
            }

            @Override
            public void clear() {
                PersistentMap.this.clear();
            }

            @Override
            public boolean contains(Object o) {
                activate();
                return o instanceof Entry<?, ?> e && map.entrySet().contains(e);
            }

            @Override
            public boolean remove(Object o) {
                if (!contains(o)) return false;
                PersistentMap.this.remove(((Entry<?, ?>) o).getKey());
                return true;
            }
        };
    }

    /** Iterates the stored map in insertion order; {@code remove()} is tracked as {@link #remove(Object)} is. */
    private final class Iter<T> implements Iterator<T> {
        private final Function<Entry<K, V>, T> out;
        private final Iterator<Entry<K, V>> it;
        private K last;
        private boolean canRemove;

        Iter(Function<Entry<K, V>, T> out) {
            activate();
            this.out = out;
            this.it = map.entrySet().iterator();
        }

        @Override
        public boolean hasNext() {
            return it.hasNext();
        }

        @Override
        public T next() {
            Entry<K, V> e = it.next();
            last = e.getKey();
            canRemove = true;
            return out.apply(e);
        }

        @Override
        public void remove() {
            if (!canRemove) throw new IllegalStateException("remove() needs a preceding next(), once per next()");
            canRemove = false;
            Object before = snapshotValue(last);
            changing();
            it.remove();
            written(last, before);
        }
    }

    /** An iterated entry whose {@code setValue} is tracked as {@link #put} is. */
    private final class TrackedEntry extends AbstractMap.SimpleEntry<K, V> {
        private final Entry<K, V> stored;

        TrackedEntry(Entry<K, V> stored) {
            super(stored);
            this.stored = stored;
        }

        @Override
        public V setValue(V value) {
            Object before = snapshotValue(getKey());
            changing();
            stored.setValue(value);
            written(getKey(), before);
            return super.setValue(value);
        }
    }

    /** As {@link AbstractMap#equals}: any {@link Map} with the same entries. */
    @Override
    public boolean equals(Object o) {
        if (o == this) return true;
        activate();
        return map.equals(o);
    }

    /** As {@link AbstractMap#hashCode}: the sum of the entries' hash codes. */
    @Override
    public int hashCode() {
        activate();
        return map.hashCode();
    }

    /** As {@link LinkedHashMap#toString}: {@code {k1=v1, k2=v2}} in iteration order. */
    @Override
    public String toString() {
        activate();
        return map.toString();
    }

    @Override
    public PersistentMap<K, V> resolve(
            PersistentMap<K, V> ancestor, PersistentMap<K, V> committed, PersistentMap<K, V> mine) {
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
