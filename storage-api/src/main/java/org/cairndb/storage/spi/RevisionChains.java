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
 *
 * <h2>Reading</h2>
 * The walks both storages read their chains with: {@link #visibleAt} (loads at a tid and
 * iteration), {@link #exactly} (loadSerial) and {@link #published} (history). A node that
 * {@linkplain ChainedRevision#standsIn() stands in} for a revision kept elsewhere is never
 * returned.
 */
public final class RevisionChains {
    private RevisionChains() {}

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
    public static <R extends ChainedRevision<R>> @Nullable R trim(
            @Nullable R head, Need need, Consumer<? super R> dropped) {
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
            if (r.tid == tid && !r.standsIn()) return r;
            if (r.tid < tid) return null;
        }
        return null;
    }

    /** What a reader at some tid finds in a chain. */
    public enum Seen {
        /** {@link Visible#found()} is the revision visible at that tid. */
        FOUND,
        /** The chain holds nothing that old: no revision existed then (as far as the chain knows). */
        ABSENT,
        /** The revision visible then was dropped (or is kept elsewhere, under a stand-in): a read conflict. */
        DROPPED
    }

    /**
     * The outcome of {@link #visibleAt}: the revision found, and the node right above it
     * (null when it is the head), whose {@link ChainedRevision#upperBoundForOlder()} is the
     * tid the found revision stops being current at.
     */
    public record Visible<R extends ChainedRevision<R>>(
            Seen seen, @Nullable R found, @Nullable R above) {
        /** The tid of the next newer revision, or {@code ifNoneAbove} when the found one is the chain's head. */
        public long nextTid(long ifNoneAbove) {
            return above == null ? ifNoneAbove : above.upperBoundForOlder();
        }
    }

    /**
     * The newest revision with tid &lt;= {@code tid}: FOUND, or DROPPED when a gap (or a
     * stand-in) covers that tid, or ABSENT when the chain ends first.
     */
    public static <R extends ChainedRevision<R>> Visible<R> visibleAt(R head, long tid) {
        R above = null;
        for (R r = head; r != null; r = r.prev) {
            if (r.tid <= tid)
                return r.standsIn() ? new Visible<>(Seen.DROPPED, null, above) : new Visible<>(Seen.FOUND, r, above);
            if (r.gapMin <= tid) return new Visible<>(Seen.DROPPED, null, above);
            above = r;
        }
        return new Visible<>(Seen.ABSENT, null, above);
    }

    /**
     * The kept revisions readers at {@code lastTid} may know of, newest first: nodes written by
     * a tid after it (a commit not yet published) and stand-ins are skipped.
     */
    public static <R extends ChainedRevision<R>> List<R> published(R head, long lastTid, int max) {
        List<R> out = new ArrayList<>();
        for (R r = head; r != null && out.size() < max; r = r.prev) {
            if (r.tid <= lastTid && !r.standsIn()) out.add(r);
        }
        return out;
    }

    /** Nodes in the chain. */
    public static int length(ChainedRevision<?> head) {
        int c = 0;
        for (ChainedRevision<?> r = head; r != null; r = r.prev) c++;
        return c;
    }
}
