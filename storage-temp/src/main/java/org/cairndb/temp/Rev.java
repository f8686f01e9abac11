package org.cairndb.temp;

import org.cairndb.storage.spi.ChainedRevision;

/**
 * One kept revision of an object, immutable once published, linked newest first; the chain
 * and its gaps are {@link ChainedRevision}'s, shared with {@code mem:}.
 */
final class Rev extends ChainedRevision<Rev> {
    /** ZERO, or the transaction whose data this revision reuses (restored backpointers). */
    final long dataTid;
    /** The record, or null for a revision without data (a deletion). */
    final byte[] data;

    final TxnInfo txn;

    Rev(long tid, long dataTid, byte[] data, TxnInfo txn, long gapMin, Rev prev) {
        super(tid, gapMin, prev);
        this.dataTid = dataTid;
        this.data = data;
        this.txn = txn;
    }

    @Override
    protected Rev withLinks(long newGapMin, Rev newPrev) {
        return new Rev(tid, dataTid, data, txn, newGapMin, newPrev);
    }
}
