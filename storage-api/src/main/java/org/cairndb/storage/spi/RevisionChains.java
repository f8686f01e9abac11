package org.cairndb.storage.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The MVCC core the in-memory storages ({@code mem:}, {@code temp:}) share: which revisions of
 * a chain ({@link ChainedRevision}) are still needed, and the chain without the others. The
 * rest of the core: {@link MvccTransaction}, {@link RecentCommits}, {@link OidCounter}.
 *
 * <h2>What is kept</h2>
 * The newest node always. An older revision r, whose next newer revision has tid u, is
 * visible exactly to readers at a tid in {@code [r.tid, u)}; it is kept if an open snapshot or
 * the published last tid lies in that interval, and dropped otherwise. So a chain holds at
 * most one revision per open snapshot plus the newest, whatever the commit rate.
 */
public final class RevisionChains {
    private RevisionChains() {
    }

    /** Who may still read an older revision. */
    public interface Need {
        /** True if some reader may need the revision visible over {@code [lo, hi)}. */
        boolean any(long lo, long hi);
    }

    /**
     * The need of a storage's readers: its open snapshots, and readers at the published last
     * tid. The last tid is read afresh for each decision, after the chain was taken: a stale
     * value could drop the revision a snapshot registering right now needs.
     */
    public static Need readersOf(ViewRegistry views, LongSupplier publishedTid) {
        return (lo, hi) -> {
            long published = publishedTid.getAsLong();
            return (lo <= published && published < hi) || views.anyIn(lo, hi);
        };
    }

    /**
     * The chain without the revisions nobody needs; {@code dropped} is told of each removed
     * node. Returns {@code head} itself when nothing is dropped. Each kept node absorbs the
     * gaps of the dropped run right below it.
     */
    public static <R extends ChainedRevision<R>> @Nullable R trim(@Nullable R head, Need need, Consumer<? super R> dropped) {
        if (head == null || head.prev == null) return head;
        List<R> nodes = new ArrayList<>();
        for (R r = head; r != null; r = r.prev) nodes.add(r);
        int n = nodes.size();
        boolean[] keep = new boolean[n];
        keep[0] = true;
        boolean any = false;
        for (int i = 1; i < n; i++) {
            keep[i] = need.any(nodes.get(i).tid, nodes.get(i - 1).upperBoundForOlder());
            if (!keep[i]) any = true;
        }
        if (!any) return head;
        R built = null;
        long pendingGap = ChainedRevision.NO_GAP;
        for (int i = n - 1; i >= 0; i--) {
            R r = nodes.get(i);
            if (keep[i]) {
                long gap = Math.min(r.gapMin, pendingGap);
                built = (gap == r.gapMin && built == r.prev) ? r : r.withLinks(gap, built);
                pendingGap = ChainedRevision.NO_GAP;
            } else {
                pendingGap = Math.min(pendingGap, Math.min(r.tid, r.gapMin));
                dropped.accept(r);
            }
        }
        return built;
    }

    /** The revision written exactly by {@code tid}, or null if it is not kept. */
    public static <R extends ChainedRevision<R>> @Nullable R exactly(@Nullable R head, long tid) {
        for (R r = head; r != null; r = r.prev) {
            if (r.tid == tid) return r;
            if (r.tid < tid) return null;
        }
        return null;
    }

    /** Nodes in the chain. */
    public static int length(ChainedRevision<?> head) {
        int c = 0;
        for (ChainedRevision<?> r = head; r != null; r = r.prev) c++;
        return c;
    }
}
