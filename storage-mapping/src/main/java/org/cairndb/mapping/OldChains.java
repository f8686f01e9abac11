package org.cairndb.mapping;

import org.cairndb.storage.spi.RevisionChains;

/**
 * Reading and trimming {@code mem:}'s on-heap side chains of older revisions: what is
 * {@code mem:}'s own (the shadow of the current revision at each chain's head) around the
 * shared MVCC core ({@link RevisionChains}), which decides what is kept.
 */
final class OldChains {
    private OldChains() {}

    /** The chain without unneeded older revisions; null when only the shadow (and no gap) would remain. */
    static OldRev trim(OldRev chain, RevisionChains.Need need, int[] droppedCount) {
        OldRev built = RevisionChains.trim(chain, need, r -> droppedCount[0]++);
        return built == null || built.prev == null
                ? null
                : built; // only the shadow left: the map's hasOlder flag says the rest
    }
}
