package org.cairndb.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.cairndb.storage.PackProgress;

/**
 * Prunes the transaction log of a history-free storage, which would otherwise grow by a row
 * per commit forever (nothing else of a transaction is kept once its objects are overwritten).
 *
 * <h2>What readers still get</h2>
 * Rows are deleted oldest first, in batches of their own database transactions, and each
 * batch moves the horizon in {@code cairn_meta} ({@code log_horizon}: every row at or below
 * it is gone) in the same transaction. A reader whose last tid is below the horizon is not
 * left with a silent gap: the layout's {@code poll} fills the pruned part of its range from
 * object_state (the objects whose current revision a pruned transaction wrote), so a view's
 * sync and the commit listeners still get every oid that changed, exactly; iteration yields
 * one record per pruned tid with the current revisions it wrote, marked packed and without
 * metadata. The newest {@link #keep} rows always stay: the last tid, and the rows a lost
 * COMMIT is looked up by ({@link PgLog#committedTid}).
 *
 * <h2>When</h2>
 * At pack (everything below the pack tid but the kept rows), and on its own every
 * {@link #every} commits of this storage object: the commit that reaches the count hands
 * one pruning run to a background thread (no timer; a run already going is not doubled).
 *
 * <h2>Concurrency</h2>
 * Only rows at or below the safe last tid ({@link PgHorizon}) are pruned: every transaction
 * up to it that will commit has committed, so no log row appears below the horizon later.
 * Writers insert log rows above every kept row, so pruning never waits on them nor they on
 * it. Two pruners (two processes) meet on the same rows and on the horizon row: the second
 * skips what the first deleted, and the horizon only grows ({@code greatest}).
 *
 * <p>Alternatives rejected: a timer (the project's rule: work starts on an event); telling
 * readers behind the horizon to drop every cache ({@code Invalidations.all}): object_state
 * already says exactly what changed, at the cost of one index range scan.
 */
final class PgLogPruner {
    private static final System.Logger LOG = System.getLogger(PgLogPruner.class.getName());
    static final int DEFAULT_KEEP = 10_000;
    static final int DEFAULT_EVERY = 1_000;
    static final int DEFAULT_BATCH = 1_000;

    private final PostgresStorage s;
    private final AtomicLong commits = new AtomicLong();
    private volatile int keep = DEFAULT_KEEP;
    private volatile int every = DEFAULT_EVERY;
    private volatile int batch = DEFAULT_BATCH;
    private ExecutorService background; // guarded by this
    private CompletableFuture<Long> running = CompletableFuture.completedFuture(0L); // guarded by this

    PgLogPruner(PostgresStorage s) {
        this.s = s;
    }

    /** Test seam and tuning: keep the newest {@code keep} rows, prune every {@code every} commits, {@code batch} rows at a time. */
    void configure(int keep, int every, int batch) {
        if (keep < 1 || every < 1 || batch < 1)
            throw new IllegalArgumentException("keep, every and batch must be >= 1");
        this.keep = keep;
        this.every = every;
        this.batch = batch;
    }

    /** After each commit of this storage object: every {@link #every}th starts a background run. */
    void committed() {
        if (commits.incrementAndGet() % every != 0) return;
        synchronized (this) {
            if (!running.isDone() || s.isClosed()) return;
            if (background == null) {
                background = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "cairn-log-pruner-" + s.name());
                    t.setDaemon(true);
                    return t;
                });
            }
            running = CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return prune(Long.MAX_VALUE, PackProgress.NONE);
                        } catch (RuntimeException e) {
                            // not fatal: the log is pruned on the next run or pack
                            if (!s.isClosed())
                                LOG.log(
                                        System.Logger.Level.WARNING,
                                        "pruning the transaction log of '" + s.name() + "' failed",
                                        e);
                            return 0L;
                        }
                    },
                    background);
        }
    }

    /** The background run started last (done at once if none); for tests and close. */
    synchronized CompletableFuture<Long> lastRun() {
        return running;
    }

    /**
     * Deletes log rows with tid below {@code beforeTid}, except the newest {@link #keep}, a
     * batch per database transaction. Returns how many rows it deleted.
     */
    long prune(long beforeTid, PackProgress progress) {
        Sql sql = s.layout().sql;
        // Never at or above a tid that may still be in flight (PgHorizon): a transaction that
        // commits later below the horizon would be read twice by the poll (its log row and
        // the pruned range's object_state rows) or, pruned, never as a log row.
        beforeTid = Math.min(beforeTid, s.lastTid() + 1);
        long total = 0;
        try {
            while (!s.isClosed()) {
                long horizon;
                long n;
                try (Connection c = s.cx().get()) {
                    c.setAutoCommit(false);
                    try (PreparedStatement ps = c.prepareStatement(sql.get("prune_log_batch"))) {
                        ps.setLong(1, beforeTid);
                        ps.setInt(2, keep - 1);
                        ps.setInt(3, batch);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            horizon = rs.getLong(1);
                            n = rs.getLong(2);
                        }
                    }
                    if (n > 0) {
                        try (PreparedStatement ps = c.prepareStatement(sql.get("set_log_horizon"))) {
                            ps.setString(1, Long.toString(horizon));
                            ps.executeUpdate();
                        }
                    }
                    c.commit();
                }
                total += n;
                if (n > 0) progress.progress("log", total, -1);
                if (n < batch) return total;
            }
            return total;
        } catch (SQLException e) {
            throw PgErrors.translate(s.name(), "pruning the transaction log", e);
        }
    }

    /** The greatest tid pruned so far (0: none). */
    long horizon() {
        try (Connection c = s.cx().get();
                PreparedStatement ps = c.prepareStatement(s.layout().sql.get("log_horizon"));
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw PgErrors.translate(s.name(), "reading the log horizon", e);
        }
    }

    void close() {
        ExecutorService b;
        synchronized (this) {
            b = background;
            background = null;
        }
        if (b != null) b.shutdownNow(); // a run in progress ends at its next batch (the storage is closed)
    }
}
