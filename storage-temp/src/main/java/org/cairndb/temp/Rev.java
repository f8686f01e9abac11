package org.cairndb.temp;

/**
 * One kept revision of an object, immutable once published, linked newest first.
 *
 * <p>Dropped revisions leave a trace: {@link #gapMin} is the smallest tid of the revisions
 * that were dropped between this one and {@link #prev} (or below this one, when prev is null).
 * A reader asking for a time that falls into such a gap gets a read conflict instead of an
 * older revision it would wrongly take for the answer.
 */
final class Rev {
    static final long NO_GAP = Long.MAX_VALUE;

    final long tid;
    /** ZERO, or the transaction whose data this revision reuses (restored backpointers). */
    final long dataTid;
    /** The record, or null for a revision without data (a deletion). */
    final byte[] data;
    final TxnInfo txn;
    final long gapMin;
    final Rev prev;

    Rev(long tid, long dataTid, byte[] data, TxnInfo txn, long gapMin, Rev prev) {
        this.tid = tid;
        this.dataTid = dataTid;
        this.data = data;
        this.txn = txn;
        this.gapMin = gapMin;
        this.prev = prev;
    }

    Rev withLinks(long newGapMin, Rev newPrev) {
        return new Rev(tid, dataTid, data, txn, newGapMin, newPrev);
    }

    boolean hasGapBelow() {
        return gapMin != NO_GAP;
    }

    /** The tid of the next newer revision of the object as seen from below this node. */
    long upperBoundForOlder() {
        return hasGapBelow() ? gapMin : tid;
    }
}
