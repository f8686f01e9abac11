package org.cairndb.migrate;

import java.time.Duration;
import java.util.List;
import java.util.function.LongToDoubleFunction;
import java.util.function.Supplier;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionRecord;

/**
 * The loop behind copy, export and import: reads whole transactions from a source and
 * hands them to a sink, in order, telling the progress after each and checking the stop
 * signal between them.
 *
 * <p>Stopping: when the signal is set, the loop ends after the transaction in hand and
 * flushes the sink, so a batching sink writes its last batch of whole transactions. When
 * the source fails (a damaged file), the transactions already read whole are flushed too
 * before the error goes on: the destination then holds exactly the intact prefix, which
 * the error message describes. When the sink fails, nothing more is flushed.
 */
final class Transfer {
    private Transfer() {}

    /**
     * @param skipThrough transactions with tid &lt;= this are read but not written (incremental)
     * @param fraction    tid of the transaction just done → share of the work done (or -1)
     */
    static TransferResult run(
            CloseableIterator<TransactionRecord> source,
            TransactionSink sink,
            TransferOptions options,
            long skipThrough,
            LongToDoubleFunction fraction) {
        return run(source, sink, options, skipThrough, fraction, List::of);
    }

    /** @param warnings asked once at the end: what the source found worth a warning (in the result and its progress report) */
    static TransferResult run(
            CloseableIterator<TransactionRecord> source,
            TransactionSink sink,
            TransferOptions options,
            long skipThrough,
            LongToDoubleFunction fraction,
            Supplier<List<String>> warnings) {
        long start = System.nanoTime();
        long transactions = 0, records = 0, skipped = 0, lastTid = Tid.ZERO;
        boolean stopped = false;
        double skippedShare = 0; // share of the source read and skipped (incremental): not work of this run
        while (true) {
            if (options.stop().isStopRequested()) {
                stopped = true;
                break;
            }
            TransactionRecord t;
            try {
                if (!source.hasNext()) break;
                t = source.next();
            } catch (RuntimeException sourceFailed) {
                try {
                    sink.flush();
                } catch (RuntimeException e) {
                    sourceFailed.addSuppressed(e);
                }
                throw sourceFailed;
            }
            if (Long.compareUnsigned(t.tid(), skipThrough) <= 0) {
                skipped++;
                skippedShare = fraction.applyAsDouble(t.tid());
                continue;
            }
            sink.accept(t);
            transactions++;
            records += t.revisions().size();
            lastTid = t.tid();
            options.progress().update(transactions, records, ofThisRun(fraction.applyAsDouble(t.tid()), skippedShare));
        }
        sink.flush();
        TransferResult r = new TransferResult(
                transactions,
                records,
                skipped,
                lastTid,
                stopped,
                Duration.ofNanos(System.nanoTime() - start),
                warnings.get());
        options.progress().done(r);
        return r;
    }

    /**
     * The share of this run's work done: the records shown count only what this run wrote,
     * so the share read and skipped before it (an incremental run) is left out of the
     * percentage and the ETA.
     */
    static double ofThisRun(double share, double skippedShare) {
        if (share < 0 || skippedShare <= 0 || skippedShare >= 1) return share;
        return Math.max(0, (share - skippedShare) / (1 - skippedShare));
    }

    /** Share of a tid range done, by tid (tids are times, so this is the share of history copied). */
    static LongToDoubleFunction byTid(long endTid) {
        long[] first = {-1};
        return tid -> {
            if (first[0] < 0) first[0] = tid;
            if (endTid <= first[0]) return 1.0;
            return Math.min(1.0, (double) (tid - first[0]) / (double) (endTid - first[0]));
        };
    }
}
