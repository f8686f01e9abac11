package org.cairndb.server;

import java.util.List;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.storage.BulkRestore;
import org.cairndb.storage.Revision;
import org.cairndb.storage.StorageMisuseException;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionRecord;

/**
 * RESTORE_BATCH: whole transactions restored in one request, the path of {@code cairn import}
 * and {@code cairn copy} into a {@code cairn://} storage. One RESTORE per transaction costs a
 * round trip and, on PostgreSQL, a commit each; a batch goes through the served storage's
 * {@link BulkRestore} (COPY on PostgreSQL), all or nothing, or one restore per transaction
 * when the storage has no bulk path, after checking the whole batch's tid order first (so a
 * misordered batch restores nothing). The transactions are published (invalidations to the
 * other clients) in tid order once they are in the storage.
 */
final class RestoreBatch {
    private RestoreBatch() {}

    static PayloadWriter apply(ServedStorage served, List<TransactionRecord> batch) {
        if (served.storage instanceof BulkRestore bulk) {
            bulk.restoreBatch(batch);
            for (TransactionRecord t : batch) publish(served, t);
        } else {
            requireInOrder(batch, served.storage.lastTid(), served.name);
            for (TransactionRecord t : batch) {
                served.storage.restore(t);
                publish(served, t);
            }
        }
        return new PayloadWriter(0);
    }

    /**
     * Refuses the whole batch, before any of it is restored, unless its tids increase and
     * follow {@code after}: what makes a batch all or nothing on a storage without a bulk
     * path (a storage failure part-way still leaves only whole transactions, in tid order).
     */
    static void requireInOrder(List<TransactionRecord> batch, long after, String storage) {
        long last = after;
        for (TransactionRecord t : batch) {
            if (Long.compareUnsigned(t.tid(), last) <= 0) {
                throw new StorageMisuseException(
                        "storage '" + storage + "': restore batch refused, nothing restored: transaction "
                                + Tid.describe(t.tid()) + " is not after " + Tid.describe(last)
                                + " (restore needs increasing tids after the last one)");
            }
            last = t.tid();
        }
    }

    private static void publish(ServedStorage served, TransactionRecord t) {
        served.publish(
                t.tid(),
                t.revisions().stream().mapToLong(Revision::oid).distinct().toArray());
    }
}
