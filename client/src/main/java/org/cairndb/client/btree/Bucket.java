package org.cairndb.client.btree;

import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import org.cairndb.client.Connection;
import org.cairndb.client.Persistent;
import org.cairndb.client.PersistentState;
import org.cairndb.client.conflict.Merge;
import org.cairndb.client.conflict.Resolvable;

/**
 * A leaf of a {@link BTreeMap}: sorted keys and their values, stored as its own record.
 *
 * <h2>Conflict resolution</h2>
 * Concurrent changes to different keys merge; the same key changed on both sides is a
 * conflict. {@code hi} is the inclusive upper bound the bucket was given by its last split:
 * after a merge every key must stay within it, so a key inserted by one side beyond a split
 * made by the other side is a conflict, never a misplaced key. A bucket removed from the
 * tree ({@code unlinked}) never merges. The {@code spare} is the empty bucket the rightmost
 * bucket keeps ready for an append split (see {@link BTreeMap}); when both sides renewed it,
 * the committed one wins and the other becomes garbage for pack.
 */
final class Bucket extends Persistent implements Resolvable<Bucket> {
    ArrayList<Object> keys = new ArrayList<>();
    ArrayList<Object> values = new ArrayList<>();
    Object hi;
    boolean hasHi;
    Bucket spare;
    boolean unlinked;
    boolean plain;

    private static final Object ABSENT = new Object();
    /** Keys written in the current transaction → their value in its snapshot (not stored). */
    private transient TreeMap<Object, Object> snapshotOfWritten;

    Bucket(boolean plain) {
        this.plain = plain;
    }

    /**
     * The value {@code key} had here in this transaction's snapshot, noted before the
     * transaction's first write of the key (until the first change of a transaction the
     * bucket is its snapshot, so the notes start afresh then).
     */
    Object snapshotValue(Object key) {
        if (snapshotOfWritten == null || persistentState() != PersistentState.CHANGED)
            snapshotOfWritten = new TreeMap<>(Keys::cmp);
        if (!snapshotOfWritten.containsKey(key)) {
            int i = find(key);
            snapshotOfWritten.put(key, i >= 0 ? valueAt(i) : ABSENT);
        }
        return snapshotOfWritten.get(key);
    }

    /**
     * After a write of {@code key} here: if it left the key as in the snapshot (a put of the
     * value it had, a remove of an absent key, a put undone by a remove), the bucket's state
     * shows no trace of it and a merge would keep a concurrent change of the key; so commit
     * must check that the bucket is unchanged (and not merge it).
     */
    void written(Object key, Object before) {
        int i = find(key);
        boolean asBefore = before == ABSENT ? i < 0 : i >= 0 && Merge.sameState(before, valueAt(i));
        if (!asBefore) return;
        Connection c = connection();
        if (c != null) c.readCurrent(this);
    }

    int size() {
        activate();
        return keys.size();
    }

    /** Index of key, or -(insertion point + 1). */
    int find(Object key) {
        activate();
        int lo = 0, hiIdx = keys.size() - 1;
        while (lo <= hiIdx) {
            int mid = (lo + hiIdx) >>> 1;
            int c = Keys.cmp(keys.get(mid), key);
            if (c < 0) lo = mid + 1;
            else if (c > 0) hiIdx = mid - 1;
            else return mid;
        }
        return -(lo + 1);
    }

    /** First index with key >= {@code key}. */
    int lowerBound(Object key) {
        int i = find(key);
        return i >= 0 ? i : -(i + 1);
    }

    Object keyAt(int i) {
        activate();
        return keys.get(i);
    }

    Object valueAt(int i) {
        activate();
        return values.get(i);
    }

    void setValue(int i, Object v) {
        changing();
        values.set(i, v);
    }

    void insertAt(int i, Object k, Object v) {
        changing();
        keys.add(i, k);
        values.add(i, v);
    }

    void removeAt(int i) {
        changing();
        keys.remove(i);
        values.remove(i);
    }

    Bucket spare() {
        activate();
        return spare;
    }

    Object hi() {
        activate();
        return hi;
    }

    boolean hasHi() {
        activate();
        return hasHi;
    }

    boolean isUnlinked() {
        activate();
        return unlinked;
    }

    void bound(boolean hasHi, Object hi) {
        changing();
        this.hasHi = hasHi;
        this.hi = hasHi ? hi : null;
    }

    void spare(Bucket s) {
        changing();
        this.spare = s;
    }

    void unlink() {
        changing();
        unlinked = true;
        spare = null;
    }

    /** Moves keys from {@code from} on into {@code right}. */
    void moveTail(int from, Bucket right) {
        changing();
        right.changing();
        right.keys.addAll(keys.subList(from, keys.size()));
        right.values.addAll(values.subList(from, values.size()));
        keys.subList(from, keys.size()).clear();
        values.subList(from, values.size()).clear();
    }

    private TreeMap<Object, Object> asMap() {
        TreeMap<Object, Object> m = new TreeMap<>(Keys::cmp);
        for (int i = 0; i < keys.size(); i++) m.put(keys.get(i), values.get(i));
        return m;
    }

    @Override
    public Bucket resolve(Bucket a, Bucket c, Bucket m) {
        if (a == null || a.unlinked || c.unlinked || m.unlinked) return null;
        boolean cSplit = !sameBound(a, c), mSplit = !sameBound(a, m);
        if (a.plain && (cSplit || mSplit)) return null; // the baseline: every split conflicts
        Bucket boundFrom = !cSplit ? m : (!mSplit || sameBound(c, m)) ? c : null;
        if (boundFrom == null) return null; // two different splits
        Map<Object, Object> merged = Merge.keyed(a.asMap(), c.asMap(), m.asMap(), new TreeMap<>(Keys::cmp));
        if (merged == null) return null;
        TreeMap<Object, Object> sorted = (TreeMap<Object, Object>) merged;
        if (boundFrom.hasHi && !sorted.isEmpty() && Keys.cmp(sorted.lastKey(), boundFrom.hi) > 0) return null;
        Bucket spare = c.spare != a.spare ? c.spare : m.spare;
        c.keys = new ArrayList<>(sorted.keySet());
        c.values = new ArrayList<>(sorted.values());
        c.hasHi = boundFrom.hasHi;
        c.hi = boundFrom.hi;
        c.spare = spare;
        return c;
    }

    private static boolean sameBound(Bucket x, Bucket y) {
        return x.hasHi == y.hasHi && (!x.hasHi || Keys.cmp(x.hi, y.hi) == 0);
    }
}
