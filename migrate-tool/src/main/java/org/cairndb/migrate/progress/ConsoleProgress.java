package org.cairndb.migrate.progress;

import java.io.PrintStream;
import java.util.function.LongSupplier;
import org.cairndb.migrate.Progress;
import org.cairndb.migrate.TransferResult;

/**
 * Progress for people: on a terminal a bar redrawn in place ({@code \r}) with records/s
 * and an ETA; otherwise (a pipe, a log file) a plain line now and then.
 *
 * <p>There is no timer thread: {@link #update} is called by the worker after every
 * transaction and looks at the clock then, drawing only when enough time has passed since
 * the last output (a quarter second for the bar, {@code lineEveryNanos} for plain lines) or,
 * for plain lines, when another {@code lineEveryRecords} records are done. A stalled
 * worker therefore prints nothing, which is honest: nothing is happening.
 */
public final class ConsoleProgress implements Progress {
    private static final long BAR_EVERY_NANOS = 250_000_000L;
    private static final int BAR_WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final boolean terminal;
    private final long lineEveryNanos;
    private final long lineEveryRecords;
    private final LongSupplier clock;
    private final long start;
    private long lastOutput;
    private long lastOutputRecords;
    private boolean barDrawn;

    ConsoleProgress(
            PrintStream out,
            String label,
            boolean terminal,
            long lineEveryNanos,
            long lineEveryRecords,
            LongSupplier clock) {
        this.out = out;
        this.label = label;
        this.terminal = terminal;
        this.lineEveryNanos = lineEveryNanos;
        this.lineEveryRecords = lineEveryRecords;
        this.clock = clock;
        this.start = clock.getAsLong();
        this.lastOutput = start;
    }

    /**
     * A bar when the JVM has a console; otherwise plain lines every 2 s or 250,000 records
     * (system properties {@code cairn.progress.millis} and {@code cairn.progress.records} change that).
     */
    public static ConsoleProgress forConsole(PrintStream out, String label) {
        long millis = Long.getLong("cairn.progress.millis", 2_000L);
        long records = Long.getLong("cairn.progress.records", 250_000L);
        return new ConsoleProgress(
                out, label, System.console() != null, millis * 1_000_000L, records, System::nanoTime);
    }

    /** Plain lines, for tests and logs. */
    public static ConsoleProgress plain(
            PrintStream out, String label, long lineEveryNanos, long lineEveryRecords, LongSupplier clock) {
        return new ConsoleProgress(out, label, false, lineEveryNanos, lineEveryRecords, clock);
    }

    @Override
    public void update(long transactions, long records, double fraction) {
        long now = clock.getAsLong();
        if (terminal) {
            if (now - lastOutput < BAR_EVERY_NANOS) return;
            lastOutput = now;
            out.print("\r" + bar(fraction) + " " + stats(transactions, records, fraction, now) + "   ");
            out.flush();
            barDrawn = true;
        } else {
            if (now - lastOutput < lineEveryNanos && records - lastOutputRecords < lineEveryRecords) return;
            lastOutput = now;
            lastOutputRecords = records;
            out.println(label + ": " + (fraction >= 0 ? String.format("%3.0f%% ", fraction * 100) : "")
                    + stats(transactions, records, fraction, now));
        }
    }

    @Override
    public void done(TransferResult result) {
        if (barDrawn) out.println();
        out.println(label + ": " + (result.stopped() ? "stopped cleanly: " : "done: ") + result);
    }

    private String stats(long transactions, long records, double fraction, long now) {
        double secs = (now - start) / 1e9;
        double rate = secs > 0 ? records / secs : 0;
        String s = String.format("%,d records, %,d transactions, %,.0f records/s", records, transactions, rate);
        if (fraction > 0 && fraction < 1) s += ", ETA " + duration(secs * (1 - fraction) / fraction);
        return s;
    }

    static String bar(double fraction) {
        if (fraction < 0) return "[" + " ".repeat(BAR_WIDTH) + "]  ?%";
        int filled = (int) Math.round(Math.min(1, fraction) * BAR_WIDTH);
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] "
                + String.format("%3.0f%%", fraction * 100);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }
}
