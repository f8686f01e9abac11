package org.cairndb.client.btree;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;

/**
 * A live {@link NavigableMap} view of a key range of a {@link BTreeMap}, ascending or
 * descending: what {@code subMap}, {@code headMap}, {@code tailMap} and {@code descendingMap}
 * return, and what the tree itself delegates its navigation to (as a view of everything).
 *
 * <p>It behaves as the views of {@link java.util.TreeMap}: bounds are absolute and carry
 * inclusive flags; in a descending view "first", "ceiling", "head" and so on follow the
 * view's order; a put of a key out of range, or a sub-view reaching beyond this one, throws
 * {@link IllegalArgumentException}; removals through the view, its key set, values, entry set
 * and their iterators change the tree; {@code setValue} on an iterated entry writes through.
 * Entries from the navigation methods ({@code firstEntry}, {@code ceilingEntry}, ...) are
 * snapshots and refuse {@code setValue}, as the JDK's do.
 *
 * <p>Nothing is copied: every walk is a {@link TreeCursor} that loads only the buckets on its
 * way. {@code size()} of a partial range counts its entries (as TreeMap's sub-maps do); the
 * whole tree's size is its O(1) counter. An iterator is invalid once the tree changes other
 * than through it, and says so with a {@link ConcurrentModificationException}.
 *
 * <p>Over 400 lines, one job: the {@link NavigableMap} contract over one key range. Most of it is
 * that contract's many small methods, each a line or two over the range checks and a cursor;
 * the iterator and its write-through entry are the rest. One class with bounds and a direction
 * serves every kind of view, where one class per kind would repeat the range logic.
 */
final class BTreeView<K extends Comparable<? super K>, V> extends AbstractMap<K, V> implements NavigableMap<K, V> {
    private final BTreeMap<K, V> m;
    private final boolean fromStart, loInclusive, toEnd, hiInclusive, descending;
    private final K lo, hi;

    BTreeView(
            BTreeMap<K, V> m,
            boolean fromStart,
            K lo,
            boolean loInclusive,
            boolean toEnd,
            K hi,
            boolean hiInclusive,
            boolean descending) {
        if (!fromStart) Keys.require(lo);
        if (!toEnd) Keys.require(hi);
        if (!fromStart && !toEnd && Keys.cmp(lo, hi) > 0) {
            throw new IllegalArgumentException("fromKey " + lo + " > toKey " + hi + " in "
                    + (descending ? "a descending" : "an ascending") + " view; swap them");
        }
        this.m = m;
        this.fromStart = fromStart;
        this.lo = lo;
        this.loInclusive = loInclusive;
        this.toEnd = toEnd;
        this.hi = hi;
        this.hiInclusive = hiInclusive;
        this.descending = descending;
    }

    static <K extends Comparable<? super K>, V> BTreeView<K, V> all(BTreeMap<K, V> m) {
        return new BTreeView<>(m, true, null, false, true, null, false, false);
    }

    // ---- range checks ----

    private boolean tooLow(Object k) {
        if (fromStart) return false;
        int c = Keys.cmp(k, lo);
        return c < 0 || (c == 0 && !loInclusive);
    }

    private boolean tooHigh(Object k) {
        if (toEnd) return false;
        int c = Keys.cmp(k, hi);
        return c > 0 || (c == 0 && !hiInclusive);
    }

    private boolean inRange(Object k) {
        return !tooLow(k) && !tooHigh(k);
    }

    /** For a sub-view's bound: an exclusive bound may equal this view's exclusive bound. */
    private boolean inRange(Object k, boolean inclusive) {
        if (inclusive) return inRange(k);
        return (fromStart || Keys.cmp(k, lo) >= 0) && (toEnd || Keys.cmp(k, hi) <= 0);
    }

    private boolean whole() {
        return fromStart && toEnd;
    }

    private void checkBound(Object k, boolean inclusive, String which) {
        Keys.require(k);
        if (!inRange(k, inclusive))
            throw new IllegalArgumentException(which + " " + k + " is out of this view's range " + describeRange());
    }

    private String describeRange() {
        return (fromStart ? "(-inf" : (loInclusive ? "[" : "(") + lo) + ", "
                + (toEnd ? "+inf)" : hi + (hiInclusive ? "]" : ")"));
    }

    // ---- walks ----

    private TreeCursor cursor(boolean desc) {
        return new TreeCursor(m.rootNode(), desc, !fromStart, lo, loInclusive, !toEnd, hi, hiInclusive);
    }

    @SuppressWarnings("unchecked")
    private Entry<K, V> snapshot(TreeCursor c) {
        return c.valid() ? new SimpleImmutableEntry<>((K) c.key(), (V) c.value()) : null;
    }

    private Entry<K, V> absLowest() {
        return snapshot(cursor(false));
    }

    private Entry<K, V> absHighest() {
        return snapshot(cursor(true));
    }

    private Entry<K, V> absCeiling(Object k, boolean inclusive) {
        Keys.require(k);
        if (tooLow(k)) return absLowest();
        return snapshot(new TreeCursor(m.rootNode(), false, true, k, inclusive, !toEnd, hi, hiInclusive));
    }

    private Entry<K, V> absFloor(Object k, boolean inclusive) {
        Keys.require(k);
        if (tooHigh(k)) return absHighest();
        return snapshot(new TreeCursor(m.rootNode(), true, !fromStart, lo, loInclusive, true, k, inclusive));
    }

    // ---- Map ----

    @Override
    public int size() {
        if (whole()) return m.size();
        int n = 0;
        for (TreeCursor c = cursor(false); c.valid(); c.advance()) n++;
        return n;
    }

    @Override
    public boolean isEmpty() {
        return whole() ? m.isEmpty() : !cursor(false).valid();
    }

    @Override
    public V get(Object key) {
        return inRange(Keys.require(key)) ? m.get(key) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return inRange(Keys.require(key)) && m.containsKey(key);
    }

    @Override
    public V put(K key, V value) {
        if (!inRange(Keys.require(key)))
            throw new IllegalArgumentException("key " + key + " is out of this view's range " + describeRange());
        return m.put(key, value);
    }

    @Override
    public V remove(Object key) {
        return inRange(Keys.require(key)) ? m.remove(key) : null;
    }

    @Override
    public void clear() {
        if (whole()) {
            m.clear();
            return;
        }
        for (Iterator<Entry<K, V>> it = new Iter(false); it.hasNext(); ) {
            it.next();
            it.remove();
        }
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<K, V>> iterator() {
                return new Iter(descending);
            }

            @Override
            public int size() {
                return BTreeView.this.size();
            }

            @Override
            public boolean isEmpty() {
                return BTreeView.this.isEmpty();
            }

            @Override
            public void clear() {
                BTreeView.this.clear();
            }

            @Override
            public boolean contains(Object o) {
                if (!(o instanceof Entry<?, ?> e) || !(e.getKey() instanceof Comparable) || !inRange(e.getKey()))
                    return false;
                return m.containsKey(e.getKey()) && Objects.equals(m.get(e.getKey()), e.getValue());
            }

            @Override
            public boolean remove(Object o) {
                if (!contains(o)) return false;
                m.remove(((Entry<?, ?>) o).getKey());
                return true;
            }
        };
    }

    @Override
    public Set<K> keySet() {
        return navigableKeySet();
    }

    // ---- NavigableMap, in this view's order ----

    @Override
    public Comparator<? super K> comparator() {
        return descending ? Collections.reverseOrder() : null;
    }

    @Override
    public Entry<K, V> firstEntry() {
        return descending ? absHighest() : absLowest();
    }

    @Override
    public Entry<K, V> lastEntry() {
        return descending ? absLowest() : absHighest();
    }

    @Override
    public Entry<K, V> ceilingEntry(K key) {
        return descending ? absFloor(key, true) : absCeiling(key, true);
    }

    @Override
    public Entry<K, V> higherEntry(K key) {
        return descending ? absFloor(key, false) : absCeiling(key, false);
    }

    @Override
    public Entry<K, V> floorEntry(K key) {
        return descending ? absCeiling(key, true) : absFloor(key, true);
    }

    @Override
    public Entry<K, V> lowerEntry(K key) {
        return descending ? absCeiling(key, false) : absFloor(key, false);
    }

    @Override
    public K ceilingKey(K key) {
        return keyOrNull(ceilingEntry(key));
    }

    @Override
    public K higherKey(K key) {
        return keyOrNull(higherEntry(key));
    }

    @Override
    public K floorKey(K key) {
        return keyOrNull(floorEntry(key));
    }

    @Override
    public K lowerKey(K key) {
        return keyOrNull(lowerEntry(key));
    }

    @Override
    public K firstKey() {
        return keyOrThrow(firstEntry());
    }

    @Override
    public K lastKey() {
        return keyOrThrow(lastEntry());
    }

    @Override
    public Entry<K, V> pollFirstEntry() {
        return removed(firstEntry());
    }

    @Override
    public Entry<K, V> pollLastEntry() {
        return removed(lastEntry());
    }

    private Entry<K, V> removed(Entry<K, V> e) {
        if (e != null) m.remove(e.getKey());
        return e;
    }

    private static <K> K keyOrNull(Entry<K, ?> e) {
        return e == null ? null : e.getKey();
    }

    private static <K> K keyOrThrow(Entry<K, ?> e) {
        if (e == null)
            throw new NoSuchElementException(
                    "empty: there is no first or last key; check isEmpty() first, or use firstEntry()/lastEntry() (null when empty)");
        return e.getKey();
    }

    @Override
    public NavigableMap<K, V> descendingMap() {
        return new BTreeView<>(m, fromStart, lo, loInclusive, toEnd, hi, hiInclusive, !descending);
    }

    @Override
    public NavigableSet<K> navigableKeySet() {
        return new KeySetView<>(this, false);
    }

    @Override
    public NavigableSet<K> descendingKeySet() {
        return descendingMap().navigableKeySet();
    }

    @Override
    public NavigableMap<K, V> subMap(K fromKey, boolean fromInclusive, K toKey, boolean toInclusive) {
        checkBound(fromKey, fromInclusive, "fromKey");
        checkBound(toKey, toInclusive, "toKey");
        if (descending) return new BTreeView<>(m, false, toKey, toInclusive, false, fromKey, fromInclusive, true);
        return new BTreeView<>(m, false, fromKey, fromInclusive, false, toKey, toInclusive, false);
    }

    @Override
    public NavigableMap<K, V> headMap(K toKey, boolean inclusive) {
        checkBound(toKey, inclusive, "toKey");
        if (descending) return new BTreeView<>(m, false, toKey, inclusive, toEnd, hi, hiInclusive, true);
        return new BTreeView<>(m, fromStart, lo, loInclusive, false, toKey, inclusive, false);
    }

    @Override
    public NavigableMap<K, V> tailMap(K fromKey, boolean inclusive) {
        checkBound(fromKey, inclusive, "fromKey");
        if (descending) return new BTreeView<>(m, fromStart, lo, loInclusive, false, fromKey, inclusive, true);
        return new BTreeView<>(m, false, fromKey, inclusive, toEnd, hi, hiInclusive, false);
    }

    @Override
    public SortedMap<K, V> subMap(K fromKey, K toKey) {
        return subMap(fromKey, true, toKey, false);
    }

    @Override
    public SortedMap<K, V> headMap(K toKey) {
        return headMap(toKey, false);
    }

    @Override
    public SortedMap<K, V> tailMap(K fromKey) {
        return tailMap(fromKey, true);
    }

    // ---- iteration ----

    /** Walks the range with a cursor; after a removal through it, re-seeks past the removed key. */
    private final class Iter implements Iterator<Entry<K, V>> {
        private final boolean desc;
        private TreeCursor cursor;
        private K last;
        private boolean canRemove;
        private int expectedModCount;

        Iter(boolean desc) {
            this.desc = desc;
            this.cursor = cursor(desc);
            this.expectedModCount = m.modCount();
        }

        @Override
        public boolean hasNext() {
            return cursor.valid();
        }

        @Override
        @SuppressWarnings("unchecked")
        public Entry<K, V> next() {
            checkUnchanged();
            if (!cursor.valid()) throw new NoSuchElementException();
            K k = (K) cursor.key();
            V v = (V) cursor.value();
            cursor.advance();
            last = k;
            canRemove = true;
            return new WritableEntry(k, v);
        }

        @Override
        public void remove() {
            if (!canRemove) throw new IllegalStateException("remove() needs a preceding next(), once per next()");
            checkUnchanged();
            m.remove(last);
            canRemove = false;
            expectedModCount = m.modCount();
            cursor = desc
                    ? new TreeCursor(m.rootNode(), true, !fromStart, lo, loInclusive, true, last, false)
                    : new TreeCursor(m.rootNode(), false, true, last, false, !toEnd, hi, hiInclusive);
        }

        private void checkUnchanged() {
            if (m.modCount() != expectedModCount) {
                throw new ConcurrentModificationException(m.describe()
                        + " was changed while iterated; change it through the iterator, or collect the keys first");
            }
        }
    }

    /** An iterated entry: {@code setValue} writes the tree (a put of an existing key, which leaves iterators valid). */
    private final class WritableEntry extends SimpleEntry<K, V> {
        WritableEntry(K key, V value) {
            super(key, value);
        }

        @Override
        public V setValue(V value) {
            m.put(getKey(), value);
            return super.setValue(value);
        }
    }
}
