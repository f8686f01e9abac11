package org.cairndb.client.btree;

import org.cairndb.client.Persistent;

/** The structural invariants of a {@link BTreeMap}'s nodes, for {@link BTreeMap#checkInvariants()}. */
final class TreeChecks {
    private TreeChecks() {}

    /**
     * Checks keys sorted and within their separators, buckets within their bounds, all leaves
     * at one depth and no removed node reachable.
     *
     * @return the number of keys in the tree
     * @throws IllegalStateException naming the first violation
     */
    static long check(Persistent root) {
        int[] leafDepth = {-1};
        long[] count = {0};
        check(root, null, false, null, 0, leafDepth, count);
        return count[0];
    }

    private static void check(
            Persistent n, Object lo, boolean hasUp, Object up, int depth, int[] leafDepth, long[] count) {
        if (n instanceof Bucket b) {
            if (leafDepth[0] < 0) leafDepth[0] = depth;
            if (leafDepth[0] != depth)
                throw new IllegalStateException("leaves at depths " + leafDepth[0] + " and " + depth);
            if (b.isUnlinked()) throw new IllegalStateException(b.describe() + " is reachable but marked removed");
            for (int i = 0; i < b.size(); i++) {
                Object k = b.keyAt(i);
                if (i > 0 && Keys.cmp(b.keyAt(i - 1), k) >= 0)
                    throw new IllegalStateException(b.describe() + ": keys out of order at " + i);
                if (lo != null && Keys.cmp(k, lo) <= 0)
                    throw new IllegalStateException(b.describe() + ": key " + k + " <= lower separator " + lo);
                if (hasUp && Keys.cmp(k, up) > 0)
                    throw new IllegalStateException(b.describe() + ": key " + k + " > upper separator " + up);
                if (b.hasHi() && Keys.cmp(k, b.hi()) > 0)
                    throw new IllegalStateException(b.describe() + ": key " + k + " > its bound " + b.hi());
            }
            count[0] += b.size();
            return;
        }
        InnerNode in = (InnerNode) n;
        if (in.childCount() < 1) throw new IllegalStateException(in.describe() + " has no children");
        if (in.seps.size() != in.childCount() - 1)
            throw new IllegalStateException(in.describe() + ": separators and children do not match");
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
