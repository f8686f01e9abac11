package org.cairndb.storage.spi;

import org.jspecify.annotations.Nullable;

/**
 * One older-or-current revision of an object in an in-memory MVCC chain, linked newest first
 * and immutable once published (a trimmed chain is a new chain; readers walking the old one
 * are never disturbed). The storage's own subclass adds what it keeps per revision.
 *
 * <p>Dropped revisions leave a trace: {@link #gapMin} is the smallest tid of the revisions
 * dropped between this node and {@link #prev} (or below this node when prev is null),
 * {@link #NO_GAP} when none was. A reader asking for a time inside such a gap gets a read
 * conflict instead of an older revision it would wrongly take for the answer.
 *
 * @param <R> the storage's revision class
 */
public abstract class ChainedRevision<R extends ChainedRevision<R>> {
    /** {@link #gapMin} of a node below which nothing was dropped. */
    public static final long NO_GAP = Long.MAX_VALUE;

    public final long tid;
    public final long gapMin;
    public final @Nullable R prev;

    protected ChainedRevision(long tid, long gapMin, @Nullable R prev) {
        this.tid = tid;
        this.gapMin = gapMin;
        this.prev = prev;
    }

    /** This revision with other links (the rest of it shared). */
    protected abstract R withLinks(long newGapMin, @Nullable R newPrev);

    /**
     * True for a node that only marks the tid of a revision kept elsewhere ({@code mem:}'s
     * shadow of its off-heap current revision): walks never return it as a revision, and a
     * reader whose time falls on it is told the revision it wanted is gone.
     */
    public boolean standsIn() {
        return false;
    }

    public final boolean hasGapBelow() {
        return gapMin != NO_GAP;
    }

    /** The tid of the next newer revision of the object as seen from below this node. */
    public final long upperBoundForOlder() {
        return hasGapBelow() ? gapMin : tid;
    }
}
