package org.cairndb.client.btree;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
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
 * for (Map.Entry<Instant, Review> e : byTime.range(lastWeek, now)) ...
 * }</pre>
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
 * follows key order; the tree must not be changed while an iterator over it is in use.
 */
public class BTreeMap<K extends Comparable<? super K>, V> extends Persistent implements Map<K, V> {
    public static final int DEFAULT_BUCKET_SIZE = 64;
    public static final int DEFAULT_INNER_SIZE = 128;

    private Persistent root;
    private Counter size;
    private int maxBucket;
    private int maxInner;
    private boolean plain;

    public BTreeMap() {
        this(DEFAULT_BUCKET_SIZE, DEFAULT_INNER_SIZE, false);
    }

    public BTreeMap(int bucketSize, int innerSize) {
        this(bucketSize, innerSize, false);
    }

    private BTreeMap(int bucketSize, int innerSize, boolean plain) {
        if (bucketSize < 2 || innerSize < 3) {
            throw new IllegalArgumentException("bucket size must be >= 2 and inner node size >= 3, was " + bucketSize + ", " + innerSize);
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

    @Override
    public boolean containsValue(Object value) {
        for (Entry<K, V> e : entrySet()) if (java.util.Objects.equals(e.getValue(), value)) return true;
        return false;
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
        if (r.added) size.increment();
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
        if (n.childCount() == 1) {
            if (isRoot) return false; // an empty tree keeps its one (empty) bucket
            unlink(child, null);
            return true;
        }
        Persistent left = i > 0 ? n.child(i - 1) : null;
        unlink(child, left);
        n.removeChild(i);
        return false;
    }

    /** Marks an emptied node as removed; its left neighbour takes over its upper bound and spare. */
    private static void unlink(Persistent child, Persistent left) {
        if (!(child instanceof Bucket b)) return;
        if (left instanceof Bucket l) {
            l.bound(b.hasHi(), b.hi());
            if (b.spare() != null) l.spare(b.spare());
        }
        b.unlink();
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

    // ---- navigation and iteration ----

    /** The smallest key, or null when empty. */
    public K firstKey() {
        Iterator<Entry<K, V>> it = range(null, null).iterator();
        return it.hasNext() ? it.next().getKey() : null;
    }

    /** The largest key, or null when empty. */
    @SuppressWarnings("unchecked")
    public K lastKey() {
        activate();
        return (K) lastIn(root);
    }

    private Object lastIn(Persistent n) {
        if (n instanceof Bucket b) return b.size() == 0 ? null : b.keyAt(b.size() - 1);
        InnerNode in = (InnerNode) n;
        for (int i = in.childCount() - 1; i >= 0; i--) {
            Object k = lastIn(in.child(i));
            if (k != null) return k;
        }
        return null;
    }

    /** Entries with {@code from <= key < to}, in key order; a null bound is open. */
    public Iterable<Entry<K, V>> range(K from, K to) {
        return () -> new Cursor(from, to);
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override public Iterator<Entry<K, V>> iterator() { return new Cursor(null, null); }
            @Override public int size() { return BTreeMap.this.size(); }
        };
    }

    @Override
    public Set<K> keySet() {
        return new AbstractSet<>() {
            @Override public Iterator<K> iterator() {
                Iterator<Entry<K, V>> it = new Cursor(null, null);
                return new Iterator<>() {
                    @Override public boolean hasNext() { return it.hasNext(); }
                    @Override public K next() { return it.next().getKey(); }
                };
            }
            @Override public int size() { return BTreeMap.this.size(); }
            @Override public boolean contains(Object o) { return containsKey(o); }
        };
    }

    @Override
    public Collection<V> values() {
        List<V> out = new ArrayList<>();
        for (Entry<K, V> e : entrySet()) out.add(e.getValue());
        return out;
    }

    @Override
    public boolean equals(Object o) { return o == this; }

    @Override
    public int hashCode() { return System.identityHashCode(this); }

    @Override
    public String toString() { return "BTreeMap[size=" + size() + "]"; }

    /** A walk over the leaves with a stack of (inner node, child index) frames. */
    private final class Cursor implements Iterator<Entry<K, V>> {
        private final ArrayDeque<int[]> indexes = new ArrayDeque<>();
        private final ArrayDeque<InnerNode> nodes = new ArrayDeque<>();
        private final Object to;
        private Bucket bucket;
        private int pos;
        private Entry<K, V> next;

        Cursor(Object from, Object to) {
            this.to = to;
            activate();
            Persistent n = root;
            while (n instanceof InnerNode in) {
                int i = from == null ? 0 : in.childIndex(from);
                nodes.push(in);
                indexes.push(new int[] {i});
                n = in.child(i);
            }
            bucket = (Bucket) n;
            pos = from == null ? 0 : bucket.lowerBound(from);
            advance();
        }

        @SuppressWarnings("unchecked")
        private void advance() {
            next = null;
            while (bucket != null && pos >= bucket.size()) nextBucket();
            if (bucket == null) return;
            Object k = bucket.keyAt(pos);
            if (to != null && Keys.cmp(k, to) >= 0) {
                bucket = null;
                return;
            }
            next = new AbstractMap.SimpleImmutableEntry<>((K) k, (V) bucket.valueAt(pos));
            pos++;
        }

        private void nextBucket() {
            while (!nodes.isEmpty()) {
                InnerNode in = nodes.peek();
                int[] idx = indexes.peek();
                if (idx[0] + 1 < in.childCount()) {
                    idx[0]++;
                    Persistent n = in.child(idx[0]);
                    while (n instanceof InnerNode down) {
                        nodes.push(down);
                        indexes.push(new int[] {0});
                        n = down.child(0);
                    }
                    bucket = (Bucket) n;
                    pos = 0;
                    return;
                }
                nodes.pop();
                indexes.pop();
            }
            bucket = null;
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Entry<K, V> next() {
            if (next == null) throw new NoSuchElementException();
            Entry<K, V> e = next;
            advance();
            return e;
        }
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
        int[] leafDepth = {-1};
        long[] count = {0};
        check(root, null, false, null, 0, leafDepth, count);
        if (count[0] != size.get()) {
            throw new IllegalStateException(describe() + ": size counter says " + size.get() + " but the tree holds " + count[0] + " keys");
        }
    }

    private void check(Persistent n, Object lo, boolean hasUp, Object up, int depth, int[] leafDepth, long[] count) {
        if (n instanceof Bucket b) {
            if (leafDepth[0] < 0) leafDepth[0] = depth;
            if (leafDepth[0] != depth) throw new IllegalStateException("leaves at depths " + leafDepth[0] + " and " + depth);
            if (b.isUnlinked()) throw new IllegalStateException(b.describe() + " is reachable but marked removed");
            for (int i = 0; i < b.size(); i++) {
                Object k = b.keyAt(i);
                if (i > 0 && Keys.cmp(b.keyAt(i - 1), k) >= 0) throw new IllegalStateException(b.describe() + ": keys out of order at " + i);
                if (lo != null && Keys.cmp(k, lo) <= 0) throw new IllegalStateException(b.describe() + ": key " + k + " <= lower separator " + lo);
                if (hasUp && Keys.cmp(k, up) > 0) throw new IllegalStateException(b.describe() + ": key " + k + " > upper separator " + up);
                if (b.hasHi() && Keys.cmp(k, b.hi()) > 0) throw new IllegalStateException(b.describe() + ": key " + k + " > its bound " + b.hi());
            }
            count[0] += b.size();
            return;
        }
        InnerNode in = (InnerNode) n;
        if (in.childCount() < 1) throw new IllegalStateException(in.describe() + " has no children");
        if (in.seps.size() != in.childCount() - 1) throw new IllegalStateException(in.describe() + ": separators and children do not match");
        for (int i = 0; i < in.childCount(); i++) {
            Object clo = i == 0 ? lo : in.sep(i - 1);
            boolean cHasUp = i < in.childCount() - 1 || hasUp;
            Object cup = i < in.childCount() - 1 ? in.sep(i) : up;
            if (i > 0 && i < in.childCount() - 1 && Keys.cmp(in.sep(i - 1), in.sep(i)) >= 0) {
                throw new IllegalStateException(in.describe() + ": separators out of order at " + i);
            }
            check(in.child(i), clo, cHasUp, cup, depth + 1, leafDepth, count);
        }
    }
}
