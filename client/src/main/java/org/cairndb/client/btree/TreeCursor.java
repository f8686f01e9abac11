package org.cairndb.client.btree;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.cairndb.client.Persistent;
import org.cairndb.client.PersistentState;

/**
 * A position in a {@link BTreeMap} that walks its keys in either direction between two
 * optional bounds, loading only the nodes it passes through.
 *
 * <p>The tree has no links between leaves, so the cursor keeps the path from the root: a
 * stack of (inner node, child index) frames. Stepping past the end of a bucket climbs to the
 * nearest frame with a sibling in the walking direction and descends to that sibling's
 * nearest leaf. Before it does, the separator between the two children is compared with the
 * far bound: child {@code i} holds keys in {@code (seps[i-1], seps[i]]}, so when the bound
 * lies on this side of the separator, nothing beyond it can be in range and the walk ends
 * without loading the sibling. A range walk therefore loads the inner nodes on its path and
 * exactly the buckets that hold keys in range, plus at most the bucket the start bound falls
 * in when that holds no key in range (a descending walk from a bound that is not a key, or a
 * bucket left empty by a merge).
 *
 * <p>Over a network each bucket is a round trip, so on entering a bucket the cursor asks its
 * connection to prefetch the ghost buckets among the next {@link #AHEAD} siblings in the
 * walking direction (not beyond the far bound's separator), and again on reaching the last
 * of them: a walk then costs a round trip per {@code AHEAD} buckets instead of one per bucket.
 * A storage without a network ignores the hint. Values are not prefetched (a key walk does
 * not need them): {@code conn.prefetch(map.subMap(a, b).values())} does that.
 *
 * <p>The cursor is invalid once the tree's structure changes (a put of a new key, a
 * remove); its users re-seek from the last key they returned.
 */
final class TreeCursor {
    private final ArrayDeque<InnerNode> nodes = new ArrayDeque<>();
    private final ArrayDeque<int[]> indexes = new ArrayDeque<>();
    private final boolean descending;
    /** The bound the walk runs towards: the upper one ascending, the lower one descending. */
    private final boolean hasEnd;

    private final Object end;
    private final boolean endInclusive;
    private Bucket bucket;
    private int pos;
    /** Buckets prefetched at a time. */
    static final int AHEAD = 16;
    /** The inner node whose children were last prefetched, and the last child index prefetched. */
    private InnerNode aheadNode;

    private int aheadUntil;

    /**
     * A cursor on the first key in walking order within the bounds (or exhausted). Ascending
     * it starts at {@code lo} and ends at {@code hi}; descending the other way round.
     */
    TreeCursor(
            Persistent root,
            boolean descending,
            boolean hasLo,
            Object lo,
            boolean loInclusive,
            boolean hasHi,
            Object hi,
            boolean hiInclusive) {
        this.descending = descending;
        this.hasEnd = descending ? hasLo : hasHi;
        this.end = descending ? lo : hi;
        this.endInclusive = descending ? loInclusive : hiInclusive;
        boolean hasStart = descending ? hasHi : hasLo;
        Object start = descending ? hi : lo;
        boolean startInclusive = descending ? hiInclusive : loInclusive;
        Persistent n = root;
        while (n instanceof InnerNode in) {
            // ascending from an exclusive bound equal to a separator, the child left of it holds nothing in range
            int i = !hasStart
                    ? (descending ? in.childCount() - 1 : 0)
                    : !descending && !startInclusive ? in.childIndexAfter(start) : in.childIndex(start);
            push(in, i);
            n = in.child(i);
        }
        bucket = (Bucket) n;
        prefetchAhead();
        if (!hasStart) {
            pos = descending ? bucket.size() - 1 : 0;
        } else {
            int f = bucket.find(start);
            if (f >= 0) pos = startInclusive ? f : descending ? f - 1 : f + 1;
            else pos = descending ? -(f + 1) - 1 : -(f + 1);
        }
        settle();
    }

    boolean valid() {
        return bucket != null;
    }

    Object key() {
        return bucket.keyAt(pos);
    }

    Object value() {
        return bucket.valueAt(pos);
    }

    void advance() {
        pos += descending ? -1 : 1;
        settle();
    }

    /** Moves onto a key if the position is past its bucket's end, then ends the walk if that key is out of bounds. */
    private void settle() {
        while (bucket != null && (pos < 0 || pos >= bucket.size())) nextBucket();
        if (bucket == null || !hasEnd) return;
        int c = Keys.cmp(bucket.keyAt(pos), end);
        boolean beyond = descending ? (endInclusive ? c < 0 : c <= 0) : (endInclusive ? c > 0 : c >= 0);
        if (beyond) bucket = null;
    }

    private void nextBucket() {
        while (!nodes.isEmpty()) {
            InnerNode in = nodes.peek();
            int[] idx = indexes.peek();
            int sibling = idx[0] + (descending ? -1 : 1);
            if (sibling >= 0 && sibling < in.childCount()) {
                if (separatorEndsWalk(in.sep(descending ? sibling : idx[0]))) break;
                idx[0] = sibling;
                Persistent n = in.child(sibling);
                while (n instanceof InnerNode down) {
                    int i = descending ? down.childCount() - 1 : 0;
                    push(down, i);
                    n = down.child(i);
                }
                bucket = (Bucket) n;
                prefetchAhead();
                pos = descending ? bucket.size() - 1 : 0;
                return;
            }
            nodes.pop();
            indexes.pop();
        }
        bucket = null;
    }

    /**
     * Ascending, every key beyond {@code sep} is greater than it: none is in range when the
     * upper bound is at most {@code sep}. Descending, every key beyond it is at most
     * {@code sep}: none is in range when that is below the lower bound (or equal to an exclusive one).
     */
    private boolean separatorEndsWalk(Object sep) {
        if (!hasEnd) return false;
        int c = Keys.cmp(sep, end);
        return descending ? (endInclusive ? c < 0 : c <= 0) : c >= 0;
    }

    /** Prefetches the ghost buckets from the current one up to {@link #AHEAD} siblings on, when the last window is used up. */
    private void prefetchAhead() {
        InnerNode in = nodes.peek();
        if (in == null || bucket.connection() == null) return;
        int i = indexes.peek()[0];
        if (in == aheadNode && (descending ? i > aheadUntil : i < aheadUntil)) return;
        int step = descending ? -1 : 1;
        List<Persistent> ghosts = new ArrayList<>();
        int last = i;
        for (int j = i; j >= 0 && j < in.childCount() && Math.abs(j - i) <= AHEAD; j += step) {
            if (j != i && separatorEndsWalk(in.sep(descending ? j : j - 1))) break;
            Persistent c = in.child(j);
            if (c.persistentState() == PersistentState.GHOST) ghosts.add(c);
            last = j;
        }
        aheadNode = in;
        aheadUntil = last;
        if (ghosts.size() > 1) bucket.connection().prefetch(ghosts);
    }

    private void push(InnerNode in, int i) {
        nodes.push(in);
        indexes.push(new int[] {i});
    }
}
