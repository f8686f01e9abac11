package org.cairndb.storage;

import java.util.List;

/**
 * A committed transaction as iteration returns it and restore takes it: exactly what a copy
 * or export must reproduce.
 *
 * @param tid       the transaction id
 * @param packed    true when pack removed revisions this transaction referenced (ZODB's status 'p')
 * @param metadata  user, description, extension
 * @param revisions the revisions it wrote, in the order written
 */
public record TransactionRecord(long tid, boolean packed, TransactionMetadata metadata, List<Revision> revisions) {
    public TransactionRecord {
        revisions = List.copyOf(revisions);
        if (metadata == null) metadata = TransactionMetadata.EMPTY;
    }

    @Override
    public String toString() {
        return "TransactionRecord[tid=" + Tid.describe(tid) + (packed ? " packed" : "") + " " + metadata + " "
                + revisions.size() + " revisions]";
    }
}
