package org.cairndb.migrate;

import java.time.Duration;
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
 */
public record TransferResult(long transactions, long records, long skipped, long lastTid, boolean stopped, Duration elapsed) {
    public double recordsPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : records / s;
    }

    @Override
    public String toString() {
        return (stopped ? "stopped after " : "") + transactions + " transactions, " + records + " records"
                + (skipped > 0 ? " (" + skipped + " already present, skipped)" : "")
                + (lastTid != Tid.ZERO ? ", last tid " + Tid.describe(lastTid) : "")
                + String.format(", %.1f s, %.0f records/s", elapsed.toNanos() / 1e9, recordsPerSecond());
    }
}
