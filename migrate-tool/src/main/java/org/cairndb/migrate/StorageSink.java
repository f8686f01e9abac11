package org.cairndb.migrate;

import java.util.ArrayList;
import java.util.List;
import org.cairndb.storage.BulkRestore;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.TransactionRecord;

/**
 * Restores transactions into a storage: one {@link Storage#restore} per transaction, or,
 * when the storage implements {@link BulkRestore} (PostgreSQL's COPY), batches of whole
 * transactions of about {@code batchRecords} records or 32 MB, each all or nothing.
 */
final class StorageSink implements TransactionSink {
    private static final long MAX_BATCH_BYTES = 32L << 20;

    private final Storage storage;
    private final BulkRestore bulk;
    private final int batchRecords;
    private final List<TransactionRecord> batch = new ArrayList<>();
    private int pendingRecords;
    private long pendingBytes;

    StorageSink(Storage storage, int batchRecords) {
        this.storage = storage;
        this.bulk = storage instanceof BulkRestore b ? b : null;
        this.batchRecords = batchRecords;
    }

    @Override
    public void accept(TransactionRecord t) {
        if (bulk == null) {
            storage.restore(t);
            return;
        }
        batch.add(t);
        pendingRecords += t.revisions().size();
        for (Revision r : t.revisions()) pendingBytes += 64 + (r.data() == null ? 0 : r.data().length);
        if (pendingRecords >= batchRecords || pendingBytes >= MAX_BATCH_BYTES) flush();
    }

    @Override
    public void flush() {
        if (batch.isEmpty()) return;
        bulk.restoreBatch(List.copyOf(batch));
        batch.clear();
        pendingRecords = 0;
        pendingBytes = 0;
    }
}
