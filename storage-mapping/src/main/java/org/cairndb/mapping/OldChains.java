package org.cairndb.mapping;

import java.util.ArrayList;
import java.util.List;

/**
 * Reading and trimming the on-heap side chains of older revisions. An older revision r whose
 * next newer revision has tid u is visible to readers at tids in {@code [r.tid, u)}; it is
 * kept while an open snapshot or the published last tid lies in that interval. A chain thus
 * holds at most one older revision per open snapshot.
 */
final class OldChains {
    static final OldRev ABSENT = new OldRev(0, 0, null, null, 0, 0, false, OldRev.NO_GAP, null);
    static final OldRev DROPPED = new OldRev(0, 0, null, null, 0, 0, false, OldRev.NO_GAP, null);

    private OldChains() {}

    interface Need {
        boolean any(long lo, long hi);
    }

    /** The newest revision with tid &lt;= {@code tid} (never the shadow), or ABSENT, or DROPPED. */
    static OldRev visibleAt(OldRev chain, long tid) {
        for (OldRev r = chain; r != null; r = r.prev) {
            if (r.tid <= tid && !r.shadow) return r;
            if (r.tid <= tid) return DROPPED; // the current revision's stand-in: caller checked the head already
            if (r.gapMin <= tid) return DROPPED;
        }
        return ABSENT;
    }

    /** The chain without unneeded older revisions; null when only the shadow (and no gap) would remain. */
    static OldRev trim(OldRev chain, Need need, int[] droppedCount) {
        List<OldRev> nodes = new ArrayList<>();
        for (OldRev r = chain; r != null; r = r.prev) nodes.add(r);
        int n = nodes.size();
        boolean[] keep = new boolean[n];
        keep[0] = true;
        boolean any = false;
        for (int i = 1; i < n; i++) {
            keep[i] = need.any(nodes.get(i).tid, nodes.get(i - 1).upperBoundForOlder());
            if (!keep[i]) any = true;
        }
        if (!any) return n == 1 ? null : chain;
        OldRev built = null;
        long pendingGap = OldRev.NO_GAP;
        for (int i = n - 1; i >= 0; i--) {
            OldRev r = nodes.get(i);
            if (keep[i]) {
                long gap = Math.min(r.gapMin, pendingGap);
                built = (gap == r.gapMin && built == r.prev) ? r : r.withLinks(gap, built);
                pendingGap = OldRev.NO_GAP;
            } else {
                pendingGap = Math.min(pendingGap, Math.min(r.tid, r.gapMin));
                droppedCount[0]++;
            }
        }
        return built.prev == null ? null : built; // only the shadow left: the map's hasOlder flag says the rest
    }
}
