package org.cairndb.temp;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reading and trimming revision chains. Pure functions over immutable {@link Rev} nodes: a
 * trimmed chain is a new chain, installed by the caller with a per-key atomic update, so
 * readers walking an old chain are never disturbed.
 *
 * <h2>What is kept</h2>
 * The newest revision always. An older revision r, whose next newer revision has tid u, is
 * visible exactly to snapshots reading at a tid in {@code [r.tid, u)}; it is kept if an open
 * snapshot or the published last tid lies in that interval, and dropped otherwise. So a chain
 * holds at most one revision per open snapshot plus the newest, whatever the commit rate.
 */
final class Chains {
    /** Marker results of {@link #visibleAt}. */
    static final Rev ABSENT = new Rev(0, 0, null, null, Rev.NO_GAP, null);
    static final Rev DROPPED = new Rev(0, 0, null, null, Rev.NO_GAP, null);

    private Chains() {}

    /** The newest revision with tid &lt;= {@code tid}, or {@link #ABSENT} if none existed, or {@link #DROPPED}. */
    static Rev visibleAt(Rev head, long tid) {
        for (Rev r = head; r != null; r = r.prev) {
            if (r.tid <= tid) return r;
            if (r.gapMin <= tid) return DROPPED;
        }
        return ABSENT;
    }

    /** The revision written exactly by {@code tid}, or null if it is not kept. */
    static Rev exactly(Rev head, long tid) {
        for (Rev r = head; r != null; r = r.prev) {
            if (r.tid == tid) return r;
            if (r.tid < tid) return null;
        }
        return null;
    }

    interface Need {
        /** True if some reader may need the revision visible over {@code [lo, hi)}. */
        boolean any(long lo, long hi);
    }

    /**
     * The chain without the revisions nobody needs; {@code dropped} is told of each removed
     * node. Returns {@code head} itself when nothing is dropped.
     */
    static Rev trim(Rev head, Need need, Consumer<Rev> dropped) {
        if (head == null || head.prev == null) return head;
        List<Rev> nodes = new ArrayList<>();
        for (Rev r = head; r != null; r = r.prev) nodes.add(r);
        int n = nodes.size();
        boolean[] keep = new boolean[n];
        keep[0] = true;
        boolean any = false;
        for (int i = 1; i < n; i++) {
            keep[i] = need.any(nodes.get(i).tid, nodes.get(i - 1).upperBoundForOlder());
            if (!keep[i]) any = true;
        }
        if (!any) return head;
        // Rebuild from the oldest kept node upward; each kept node absorbs the gaps of the
        // dropped run right below it.
        Rev built = null;
        long pendingGap = Rev.NO_GAP;
        for (int i = n - 1; i >= 0; i--) {
            Rev r = nodes.get(i);
            if (keep[i]) {
                long gap = Math.min(r.gapMin, pendingGap);
                built = (gap == r.gapMin && built == r.prev) ? r : r.withLinks(gap, built);
                pendingGap = Rev.NO_GAP;
            } else {
                pendingGap = Math.min(pendingGap, Math.min(r.tid, r.gapMin));
                dropped.accept(r);
            }
        }
        return built;
    }

    static int length(Rev head) {
        int c = 0;
        for (Rev r = head; r != null; r = r.prev) c++;
        return c;
    }
}
