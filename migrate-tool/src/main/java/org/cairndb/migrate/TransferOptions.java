package org.cairndb.migrate;

import java.util.Objects;

/**
 * How a copy, export or import runs.
 *
 * @param incremental  continue after the destination's last tid instead of requiring an empty destination
 * @param batchRecords records per batch when the destination restores in batches ({@link org.cairndb.storage.BulkRestore})
 * @param progress     told after every transaction
 * @param stop         checked between transactions (and batches): stops cleanly when set
 */
public record TransferOptions(boolean incremental, int batchRecords, Progress progress, StopSignal stop) {
    public static final int DEFAULT_BATCH_RECORDS = 10_000;

    public TransferOptions {
        if (batchRecords < 1) throw new IllegalArgumentException("batchRecords must be >= 1, was " + batchRecords);
        progress = Objects.requireNonNullElse(progress, Progress.NONE);
        stop = Objects.requireNonNullElse(stop, new StopSignal());
    }

    public static TransferOptions defaults() {
        return new TransferOptions(false, DEFAULT_BATCH_RECORDS, Progress.NONE, new StopSignal());
    }

    public TransferOptions withIncremental(boolean b) {
        return new TransferOptions(b, batchRecords, progress, stop);
    }

    public TransferOptions withBatchRecords(int n) {
        return new TransferOptions(incremental, n, progress, stop);
    }

    public TransferOptions withProgress(Progress p) {
        return new TransferOptions(incremental, batchRecords, p, stop);
    }

    public TransferOptions withStop(StopSignal s) {
        return new TransferOptions(incremental, batchRecords, progress, s);
    }
}
