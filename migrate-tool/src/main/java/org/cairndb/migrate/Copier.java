package org.cairndb.migrate;

import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.Storage;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionRecord;

/**
 * Copies every transaction of one storage into another, in tid order, keeping tids,
 * metadata, revisions without data and backpointers exactly ({@link Storage#iterator} into
 * {@link Storage#restore}, or {@link org.cairndb.storage.BulkRestore} batches).
 *
 * <p>Incremental: because transactions are written in tid order and each is all or
 * nothing, the destination always holds a prefix of the source. Continuing after the
 * destination's last tid is therefore safe after any interruption (Ctrl-C, kill -9, a lost
 * connection): nothing is copied twice and nothing is skipped. Before continuing, the copy
 * checks that the destination's last transaction is in the source, the same ({@link Resume}),
 * so a destination that is not a copy of this source is refused rather than silently mixed.
 */
public final class Copier {
    private Copier() {}

    public static TransferResult copy(Storage from, Storage to, TransferOptions options) {
        Resume resume = Resume.of("copy", to, options.incremental());
        long destLast = resume.skipThrough();
        long endTid = from.lastTid();
        // From the destination's last tid itself (not after it): the resume check compares that transaction.
        CloseableIterator<TransactionRecord> source = endTid == Tid.ZERO || Long.compareUnsigned(destLast, endTid) > 0
                ? CloseableIterator.of(java.util.Collections.emptyIterator())
                : from.iterator(destLast, endTid);
        try (CloseableIterator<TransactionRecord> it = resume.check(
                CurrentStateAsPacked.of(from, source),
                from.name(),
                from.supports(org.cairndb.storage.Capability.HISTORY))) {
            return Transfer.run(
                    it, new StorageSink(to, options.batchRecords()), options, destLast, Transfer.byTid(endTid));
        }
    }
}
