package org.cairndb.client.btree;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedMap;
import org.cairndb.client.Persistent;
import org.cairndb.client.collections.Counter;

/**
 * A sorted map for many entries: a B+tree whose buckets (leaves) and inner nodes are
 * separate records, so a change rewrites one small bucket, not the whole map, and a reader
 * loads only the buckets on its path. The size is a {@link Counter}: O(1), and concurrent
 * inserts do not conflict on it.
 *
 * <pre>{@code
 * BTreeMap<Instant, Review> byTime = new BTreeMap<>();
 * byTime.put(review.time(), review);
 * for (Map.Entry<Instant, Review> e : byTime.subMap(lastWeek, true, now, false).entrySet()) ...
 * Review newest = byTime.lastEntry().getValue();
 * for (Review r : byTime.descendingMap().headMap(lastWeek).values()) ... // newest first
 * }</pre>
 *
 * <p>It is a {@link NavigableMap} that behaves as {@link java.util.TreeMap} (natural key order,
 * so {@link #comparator()} is null): its sub-map, descending and key-set views are live and
 * writable within their range, and every walk loads only the buckets it passes through (see
 * {@link BTreeView} and {@link TreeCursor}). {@code equals}, {@code hashCode} and
 * {@code toString} are those of any {@link Map} and read the whole tree.
 *
 * <p>Over 400 lines: the tree's own writes (insert with its append and half splits, delete with
 * the unlinking of emptied nodes) and its invariant check, plus the many {@link NavigableMap}
 * methods, each one line handing over to a view of the whole tree. Buckets, inner nodes, cursors
 * and views are classes of their own already; what remains is what the map itself must have.
 *
 * <h2>Concurrency: appends without conflicts</h2>
 * ZODB's BTrees conflict on nearly every bucket split when several writers insert
 * increasing keys (timestamps, sequence numbers): all of them write the last bucket, and a
 * split there rewrites the bucket and its parent in a way nobody can merge. Here:
 * <ul>
 * <li>buckets merge concurrent changes to different keys (see {@link Bucket});</li>
 * <li>an <em>append split</em>: when a key beyond the last key goes into the full rightmost
 *     bucket, that bucket is not cut in half. It keeps its keys, takes its last key as its
 *     upper bound, and the tree links in the bucket's <em>spare</em>, an empty bucket created
 *     (and committed) at the previous split. Every concurrent appender therefore makes the
 *     very same structural change (same separator, same child), which the parent's
 *     resolution accepts, and their new keys merge in the spare;</li>
 * <li>inner nodes merge additions of children in different gaps (see {@link InnerNode}).</li>
 * </ul>
 * A plain tree ({@link #withPlainSplits}) splits every bucket in half and treats every
 * split as a conflict, as a baseline for the benchmark.
 *
 * <p>Keys must be {@link Comparable} and not null, and must not change once stored. Values
 * may be anything storable, including persistent objects (stored as references). Iteration
 * follows key order; changing the tree other than through an iterator in use makes that
 * iterator throw {@link java.util.ConcurrentModificationException}.
 */
public class BTreeMap<K extends Comparable<? super K>, V> extends Persistent implements NavigableMap<K, V> {
    public static final int DEFAULT_BUCKET_SIZE = 64;
    public static final int DEFAULT_INNER_SIZE = 128;

    private Persistent root;
    private Counter size;
    private int maxBucket;
    private int maxInner;
    private boolean plain;
    private transient int modCount;

    public BTreeMap() {
        this(DEFAULT_BUCKET_SIZE, DEFAULT_INNER_SIZE, false);
    }

    public BTreeMap(int bucketSize, int innerSize) {
        this(bucketSize, innerSize, false);
    }

    private BTreeMap(int bucketSize, int innerSize, boolean plain) {
        if (bucketSize < 2 || innerSize < 3) {
            throw new IllegalArgumentException(
                    "bucket size must be >= 2 and inner node size >= 3, was " + bucketSize + ", " + innerSize);
        }
        this.maxBucket = bucketSize;
        this.maxInner = innerSize;
        this.plain = plain;
        this.size = new Counter();
        Bucket first = new Bucket(plain);
        if (!plain) first.spare = new Bucket(false);
        InnerNode top = new InnerNode(plain);
        top.children.add(first);
        this.root = top;
    }

    /** A tree that splits buckets in half and never merges a split: the benchmark's baseline. */
    public static <K extends Comparable<? super K>, V> BTreeMap<K, V> withPlainSplits(int bucketSize, int innerSize) {
        return new BTreeMap<>(bucketSize, innerSize, true);
    }

    @Override
    public int size() {
        activate();
        return (int) Math.min(Integer.MAX_VALUE, size.get());
    }

    /** The number of entries as a long. */
    public long longSize() {
        activate();
        return size.get();
    }

    @Override
    public boolean isEmpty() {
        return longSize() == 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        Bucket b = bucketFor(Keys.require(key));
        int i = b.find(key);
        return i >= 0 ? (V) b.valueAt(i) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        Bucket b = bucketFor(Keys.require(key));
        return b.find(key) >= 0;
    }

    private Bucket bucketFor(Object key) {
        activate();
        Persistent n = root;
        while (n instanceof InnerNode in) n = in.child(in.childIndex(key));
        return (Bucket) n;
    }

    // ---- insert ----

    private static final class Ins {
        Object old;
        boolean added;
        Object sep;
        Persistent right;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V put(K key, V value) {
        Keys.require(key);
        activate();
        Ins r = new Ins();
        insert(root, key, value, true, r);
        if (r.right != null) {
            InnerNode top = new InnerNode(plain);
            top.init(List.of(root, r.right), List.of(r.sep));
            changing();
            root = top;
        }
        if (r.added) {
            size.increment();
            modCount++;
        }
        return (V) r.old;
    }

    private void insert(Persistent node, Object key, Object value, boolean rightmost, Ins r) {
        if (node instanceof InnerNode n) {
            int i = n.childIndex(key);
            insert(n.child(i), key, value, rightmost && i == n.childCount() - 1, r);
            if (r.right == null) return;
            n.insertChild(i, r.sep, r.right);
            r.sep = null;
            r.right = null;
            if (n.childCount() > maxInner) {
                InnerNode right = new InnerNode(plain);
                r.sep = n.splitInto(n.childCount() / 2, right);
                r.right = right;
            }
            return;
        }
        Bucket b = (Bucket) node;
        Object before = b.snapshotValue(key);
        int i = b.find(key);
        if (i >= 0) {
            r.old = b.valueAt(i);
            if (r.old != value) b.setValue(i, value);
            b.written(key, before); // a put of the value the key had leaves no trace a merge could see
            return;
        }
        r.added = true;
        int at = -(i + 1);
        if (b.size() < maxBucket) {
            b.insertAt(at, key, value);
            b.written(key, before);
            return;
        }
        if (!plain && rightmost && at == b.size()) {
            appendSplit(b, key, value, r);
        } else {
            halfSplit(b, at, key, value, r);
        }
    }

    /** The full rightmost bucket keeps its keys; its spare takes the new key and joins the tree. */
    private void appendSplit(Bucket b, Object key, Object value, Ins r) {
        Object sep = b.keyAt(b.size() - 1);
        Bucket next = b.spare();
        if (next == null) next = new Bucket(false);
        b.bound(true, sep);
        b.spare(null);
        next.insertAt(next.size(), key, value);
        next.spare(new Bucket(false));
        r.sep = sep;
        r.right = next;
    }

    private void halfSplit(Bucket b, int at, Object key, Object value, Ins r) {
        int m = b.size() / 2;
        Bucket right = new Bucket(plain);
        Object sep = b.keyAt(m - 1);
        boolean hadHi = b.hasHi();
        Object oldHi = b.hi();
        Bucket spare = b.spare();
        b.moveTail(m, right);
        right.bound(hadHi, oldHi);
        b.bound(true, sep);
        if (spare != null) {
            b.spare(null);
            right.spare(spare);
        }
        if (Keys.cmp(key, sep) < 0) b.insertAt(-(b.find(key) + 1), key, value);
        else right.insertAt(-(right.find(key) + 1), key, value);
        r.sep = sep;
        r.right = right;
    }

    // ---- remove ----

    @Override
    @SuppressWarnings("unchecked")
    public V remove(Object key) {
        Keys.require(key);
        activate();
        Object[] old = new Object[1];
        boolean[] removed = new boolean[1];
        delete(root, key, true, old, removed);
        if (!removed[0]) return null;
        size.decrement();
        modCount++;
        // a root with a single inner child makes the tree one level lower
        while (root instanceof InnerNode top && top.childCount() == 1 && top.child(0) instanceof InnerNode only) {
            changing();
            root = only;
        }
        return (V) old[0];
    }

    /** Returns true when {@code node} became empty and its parent should drop it. */
    private boolean delete(Persistent node, Object key, boolean isRoot, Object[] old, boolean[] removed) {
        if (node instanceof Bucket b) {
            Object before = b.snapshotValue(key);
            int i = b.find(key);
            if (i < 0) {
                // nothing to write, but the outcome rests on the key being absent: a merge with a
                // concurrent put of it (and a change elsewhere) would be write skew
                b.written(key, before);
                return false;
            }
            old[0] = b.valueAt(i);
            removed[0] = true;
            b.removeAt(i);
            b.written(key, before); // a put of a new key undone by this remove leaves no trace
            return b.size() == 0;
        }
        InnerNode n = (InnerNode) node;
        int i = n.childIndex(key);
        Persistent child = n.child(i);
        if (!delete(child, key, false, old, removed)) return false;
        // an emptied inner node is unlinked by its parent, which knows its left neighbour
        if (n.childCount() == 1) return !isRoot; // an empty tree keeps its one (empty) bucket
        Persistent left = i > 0 ? n.child(i - 1) : null;
        unlink(child, left);
        n.removeChild(i);
        return false;
    }

    /**
     * Marks an emptied subtree's bucket as removed. The rightmost bucket on its left (a
     * sibling bucket, or the last bucket of a sibling subtree) now receives its keys, so it
     * takes over the emptied bucket's upper bound and spare.
     */
    private static void unlink(Persistent emptied, Persistent left) {
        Bucket b = rightmostBucket(emptied);
        Bucket l = left == null ? null : rightmostBucket(left);
        if (l != null) {
            l.bound(b.hasHi(), b.hi());
            if (b.spare() != null) l.spare(b.spare());
        }
        b.unlink();
    }

    private static Bucket rightmostBucket(Persistent n) {
        while (n instanceof InnerNode in) n = in.child(in.childCount() - 1);
        return (Bucket) n;
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        for (Entry<? extends K, ? extends V> e : m.entrySet()) put(e.getKey(), e.getValue());
    }

    @Override
    public void clear() {
        List<K> keys = new ArrayList<>(keySet());
        for (K k : keys) remove(k);
    }

    // ---- navigation and views (BTreeView, KeySetView, TreeCursor) ----

    /** The root node, for cursors. */
    Persistent rootNode() {
        activate();
        return root;
    }

    /** Changes with every put of a new key and every removal (not stored): iterators use it to notice changes. */
    int modCount() {
        return modCount;
    }

    private BTreeView<K, V> all() {
        return BTreeView.all(this);
    }

    /** Entries with {@code from <= key < to}, in key order; a null bound is open. */
    public Iterable<Entry<K, V>> range(K from, K to) {
        return new BTreeView<>(this, from == null, from, true, to == null, to, false, false).entrySet();
    }

    @Override
    public boolean containsValue(Object value) {
        return all().containsValue(value);
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return all().entrySet();
    }

    @Override
    public Set<K> keySet() {
        return all().navigableKeySet();
    }

    @Override
    public Collection<V> values() {
        return all().values();
    }

    @Override
    public NavigableSet<K> navigableKeySet() {
        return all().navigableKeySet();
    }

    @Override
    public NavigableSet<K> descendingKeySet() {
        return all().descendingKeySet();
    }

    @Override
    public NavigableMap<K, V> descendingMap() {
        return all().descendingMap();
    }

    @Override
    public Comparator<? super K> comparator() {
        return null;
    }

    /** @throws java.util.NoSuchElementException when the map is empty */
    @Override
    public K firstKey() {
        return all().firstKey();
    }
    /** @throws java.util.NoSuchElementException when the map is empty */
    @Override
    public K lastKey() {
        return all().lastKey();
    }

    @Override
    public Entry<K, V> firstEntry() {
        return all().firstEntry();
    }

    @Override
    public Entry<K, V> lastEntry() {
        return all().lastEntry();
    }

    @Override
    public Entry<K, V> pollFirstEntry() {
        return all().pollFirstEntry();
    }

    @Override
    public Entry<K, V> pollLastEntry() {
        return all().pollLastEntry();
    }

    @Override
    public Entry<K, V> lowerEntry(K key) {
        return all().lowerEntry(key);
    }

    @Override
    public Entry<K, V> floorEntry(K key) {
        return all().floorEntry(key);
    }

    @Override
    public Entry<K, V> ceilingEntry(K key) {
        return all().ceilingEntry(key);
    }

    @Override
    public Entry<K, V> higherEntry(K key) {
        return all().higherEntry(key);
    }

    @Override
    public K lowerKey(K key) {
        return all().lowerKey(key);
    }

    @Override
    public K floorKey(K key) {
        return all().floorKey(key);
    }

    @Override
    public K ceilingKey(K key) {
        return all().ceilingKey(key);
    }

    @Override
    public K higherKey(K key) {
        return all().higherKey(key);
    }

    @Override
    public NavigableMap<K, V> subMap(K fromKey, boolean fromInclusive, K toKey, boolean toInclusive) {
        return all().subMap(fromKey, fromInclusive, toKey, toInclusive);
    }

    @Override
    public NavigableMap<K, V> headMap(K toKey, boolean inclusive) {
        return all().headMap(toKey, inclusive);
    }

    @Override
    public NavigableMap<K, V> tailMap(K fromKey, boolean inclusive) {
        return all().tailMap(fromKey, inclusive);
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

    /** As {@link java.util.AbstractMap#equals}: the same entries as {@code o}, any Map (reads the whole tree). */
    @Override
    public boolean equals(Object o) {
        return o == this || all().equals(o);
    }

    /** As {@link java.util.AbstractMap#hashCode}: the sum of the entries' hash codes (reads the whole tree). */
    @Override
    public int hashCode() {
        return all().hashCode();
    }

    /** As {@link java.util.AbstractMap#toString}, e.g. {@code {1=a, 2=b}} (reads the whole tree). */
    @Override
    public String toString() {
        return all().toString();
    }

    // ---- structure checks (tests, verify tools) ----

    /**
     * Checks the tree's invariants: keys sorted and within their separators, buckets within
     * their bounds, all leaves at one depth, no removed node reachable, the size counter
     * equal to the number of keys.
     *
     * @throws IllegalStateException naming the first violation
     */
    public void checkInvariants() {
        activate();
        long keys = TreeChecks.check(root);
        if (keys != size.get()) {
            throw new IllegalStateException(
                    describe() + ": size counter says " + size.get() + " but the tree holds " + keys + " keys");
        }
    }
}
