package org.cairndb.migrate;

import org.cairndb.storage.TransactionRecord;

/** Where a transfer writes: a storage, an export file, a FileStorage file. */
interface TransactionSink {
    /** Takes one whole transaction; may hold it in a batch until {@link #flush}. */
    void accept(TransactionRecord t);

    /** Writes every transaction accepted so far, as whole transactions. */
    void flush();
}
