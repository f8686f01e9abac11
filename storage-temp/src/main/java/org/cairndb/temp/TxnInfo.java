package org.cairndb.temp;

import java.util.concurrent.atomic.AtomicInteger;
import org.cairndb.storage.TransactionMetadata;

/**
 * A committed transaction as long as one of its revisions is still kept: its metadata for
 * iteration and history, the oids it wrote, and how many of its revisions are still held.
 * When the last one is dropped the transaction leaves the log.
 */
final class TxnInfo {
    final long tid;
    final TransactionMetadata metadata;
    final long[] oids;
    final AtomicInteger held;

    TxnInfo(long tid, TransactionMetadata metadata, long[] oids) {
        this.tid = tid;
        this.metadata = metadata;
        this.oids = oids;
        this.held = new AtomicInteger(oids.length);
    }
}
