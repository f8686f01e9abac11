package org.cairndb.mapping;

import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.spi.ChainedRevision;

/**
 * An older revision kept on the heap while an open snapshot (or a reader racing a commit) may
 * still need it; the current revision lives off-heap in the map. A side chain starts with a
 * <em>shadow</em> of the current revision (its tid only) so that the gap between the current
 * revision and the newest kept older one has a place to be recorded. Links and gaps are
 * {@link ChainedRevision}'s, shared with {@code temp:}.
 */
final class OldRev extends ChainedRevision<OldRev> {
    final long dataTid;
    final byte[] data;
    final TransactionMetadata metadata;
    final boolean shadow;
    /** How many revisions its transaction wrote (iteration's packed flag). */
    final int txnSize;
    /** Its position in its transaction (iteration keeps the written order). */
    final int position;

    OldRev(
            long tid,
            long dataTid,
            byte[] data,
            TransactionMetadata metadata,
            int txnSize,
            int position,
            boolean shadow,
            long gapMin,
            OldRev prev) {
        super(tid, gapMin, prev);
        this.txnSize = txnSize;
        this.position = position;
        this.dataTid = dataTid;
        this.data = data;
        this.metadata = metadata;
        this.shadow = shadow;
    }

    static OldRev shadow(long tid, OldRev prev) {
        return new OldRev(tid, 0, null, null, 0, 0, true, NO_GAP, prev);
    }

    @Override
    public boolean standsIn() {
        return shadow;
    }

    @Override
    protected OldRev withLinks(long newGapMin, OldRev newPrev) {
        return new OldRev(tid, dataTid, data, metadata, txnSize, position, shadow, newGapMin, newPrev);
    }
}
