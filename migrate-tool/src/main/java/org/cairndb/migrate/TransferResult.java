package org.cairndb.migrate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.cairndb.storage.Tid;

/**
 * What a copy, export or import did.
 *
 * @param transactions whole transactions written to the destination
 * @param records      records (revisions) written
 * @param skipped      transactions passed over because the destination already held them (incremental)
 * @param lastTid      the last tid written, {@link Tid#ZERO} if none
 * @param stopped      true when a {@link StopSignal} ended the work before the source's end
 * @param elapsed      wall time
 * @param warnings     what the source would make its own software warn about (ZODB's log
 *                     warnings for a FileStorage), one line per kind with a count; empty if none
 */
public record TransferResult(
        long transactions,
        long records,
        long skipped,
        long lastTid,
        boolean stopped,
        Duration elapsed,
        List<String> warnings) {
    public TransferResult {
        warnings = List.copyOf(warnings);
    }

    public TransferResult(
            long transactions, long records, long skipped, long lastTid, boolean stopped, Duration elapsed) {
        this(transactions, records, skipped, lastTid, stopped, elapsed, List.of());
    }

    /** This result with {@code more} warnings added. */
    public TransferResult withWarnings(List<String> more) {
        if (more.isEmpty()) return this;
        List<String> all = new ArrayList<>(warnings);
        all.addAll(more);
        return new TransferResult(transactions, records, skipped, lastTid, stopped, elapsed, all);
    }

    public double recordsPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : records / s;
    }

    @Override
    public String toString() {
        return (stopped ? "stopped after " : "") + transactions + " transactions, " + records + " records"
                + (skipped > 0 ? " (" + skipped + " already present, skipped)" : "")
                + (lastTid != Tid.ZERO ? ", last tid " + Tid.describe(lastTid) : "")
                + String.format(", %.1f s, %.0f records/s", elapsed.toNanos() / 1e9, recordsPerSecond())
                + (warnings.isEmpty() ? "" : "; warning: " + String.join("; warning: ", warnings));
    }
}
