package org.cairndb.migrate;

import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageMisuseException;
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
 * checks that the destination's last transaction is in the source, so a destination that is
 * not a copy of this source is refused rather than silently mixed.
 */
public final class Copier {
    private Copier() {}

    public static TransferResult copy(Storage from, Storage to, TransferOptions options) {
        long destLast = to.lastTid();
        long fromTid = Tid.ZERO;
        if (destLast != Tid.ZERO) {
            if (!options.incremental()) {
                throw new StorageMisuseException("destination " + to.name() + " is not empty (last tid " + Tid.describe(destLast)
                        + "); copy into an empty storage, or pass --incremental to continue an earlier copy from this source");
            }
            requireInSource(from, to, destLast);
            fromTid = destLast + 1;
        }
        long endTid = from.lastTid();
        if (Long.compareUnsigned(fromTid, endTid) > 0) {
            return Transfer.run(CloseableIterator.of(java.util.Collections.emptyIterator()), new StorageSink(to, options.batchRecords()), options, Tid.ZERO, t -> 1.0);
        }
        try (CloseableIterator<TransactionRecord> it = CurrentStateAsPacked.of(from, from.iterator(fromTid, endTid))) {
            return Transfer.run(it, new StorageSink(to, options.batchRecords()), options, destLast, Transfer.byTid(endTid));
        }
    }

    private static void requireInSource(Storage from, Storage to, long destLast) {
        try (CloseableIterator<TransactionRecord> it = from.iterator(destLast, destLast)) {
            if (it.hasNext() && it.next().tid() == destLast) return;
        }
        throw new StorageMisuseException("cannot continue copying into " + to.name() + ": its last transaction " + Tid.describe(destLast)
                + " is not in the source " + from.name() + ", so it is not a copy of this source (or the source was packed since);"
                + " copy into an empty storage instead");
    }
}
