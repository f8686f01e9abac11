package org.cairndb.mapping;

import org.cairndb.storage.TransactionMetadata;

/**
 * An older revision kept on the heap while an open snapshot (or a reader racing a commit) may
 * still need it; the current revision lives off-heap in the map. A side chain starts with a
 * <em>shadow</em> of the current revision (its tid only) so that the gap between the current
 * revision and the newest kept older one has a place to be recorded.
 *
 * <p>{@link #gapMin}: the smallest tid of the revisions dropped between this node and
 * {@link #prev} (or below it when prev is null); {@link #NO_GAP} when none was dropped.
 */
final class OldRev {
    static final long NO_GAP = Long.MAX_VALUE;

    final long tid;
    final long dataTid;
    final byte[] data;
    final TransactionMetadata metadata;
    final boolean shadow;
    /** How many revisions its transaction wrote (iteration's packed flag). */
    final int txnSize;
    /** Its position in its transaction (iteration keeps the written order). */
    final int position;
    final long gapMin;
    final OldRev prev;

    OldRev(long tid, long dataTid, byte[] data, TransactionMetadata metadata, int txnSize, int position, boolean shadow, long gapMin,
            OldRev prev) {
        this.txnSize = txnSize;
        this.position = position;
        this.tid = tid;
        this.dataTid = dataTid;
        this.data = data;
        this.metadata = metadata;
        this.shadow = shadow;
        this.gapMin = gapMin;
        this.prev = prev;
    }

    static OldRev shadow(long tid, OldRev prev) {
        return new OldRev(tid, 0, null, null, 0, 0, true, NO_GAP, prev);
    }

    OldRev withLinks(long newGapMin, OldRev newPrev) {
        return new OldRev(tid, dataTid, data, metadata, txnSize, position, shadow, newGapMin, newPrev);
    }

    long upperBoundForOlder() {
        return gapMin != NO_GAP ? gapMin : tid;
    }
}
