package org.cairndb.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cairndb.storage.CommitListener;

/**
 * The poller: tells {@link CommitListener}s of every committed transaction, this process's
 * and other processes', exactly once and in tid order.
 *
 * <h2>How</h2>
 * A local commit reports itself on the committing thread before finish returns (after first
 * reporting any commits of others that came before it: finish knows the previous tid, so a
 * gap is seen at once). Commits of other processes are read from the transaction log
 * ("tid > last reported") when a NOTIFY arrives ({@link PgNotifier}); the log, not the
 * notification payload, is the source of truth, so a lost or merged notification loses
 * nothing. One monitor orders both paths.
 */
final class PgPoller {
    private static final System.Logger LOG = System.getLogger(PgPoller.class.getName());
    private final PostgresStorage s;
    private final CopyOnWriteArrayList<CommitListener> listeners = new CopyOnWriteArrayList<>();
    private long reported; // guarded by this: the last tid told to listeners
    private PgNotifier notifier;

    PgPoller(PostgresStorage s) {
        this.s = s;
    }

    AutoCloseable add(CommitListener l) {
        synchronized (this) {
            if (listeners.isEmpty()) reported = s.lastTid();
            listeners.add(l);
            if (notifier == null) notifier = new PgNotifier(s, this::catchUp);
        }
        return () -> listeners.remove(l);
    }

    /** A local commit of {@code tid}; {@code previous} is the tid committed just before it. */
    void localCommit(long tid, long[] oids, long previous) {
        if (listeners.isEmpty()) return;
        synchronized (this) {
            if (previous > reported) readLog(previous);
            if (tid > reported) {
                fire(tid, oids);
                reported = tid;
            }
        }
    }

    /** Something was committed somewhere: report everything new in the log. */
    void catchUp() {
        if (listeners.isEmpty()) return;
        synchronized (this) {
            readLog(Long.MAX_VALUE);
        }
    }

    private void readLog(long upTo) {
        try (Connection c = s.cx().get(); PreparedStatement ps = c.prepareStatement(s.layout().sql.get("poll"))) {
            Sql.bindCycling(ps, s.layout().sql.get("poll"), reported);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long tid = rs.getLong(1);
                    if (tid > upTo) break;
                    Array a = rs.getArray(2);
                    Long[] boxed = (Long[]) a.getArray();
                    long[] oids = new long[boxed.length];
                    for (int i = 0; i < oids.length; i++) oids[i] = boxed[i];
                    fire(tid, oids);
                    reported = tid;
                }
            }
        } catch (SQLException e) {
            // Not fatal for anyone's transaction: the next notification or commit reads on from `reported`.
            if (!PgErrors.isConnectionLoss(e)) throw PgErrors.translate(s.name(), "reading the transaction log for listeners", e);
        }
    }

    private void fire(long tid, long[] oids) {
        for (CommitListener l : listeners) {
            try {
                l.committed(tid, oids);
            } catch (RuntimeException e) {
                // a listener's bug must not stop the others or the commit
                LOG.log(System.Logger.Level.WARNING, "commit listener failed on tid " + tid + " of storage '" + s.name() + "'", e);
            }
        }
    }

    void close() {
        PgNotifier n;
        synchronized (this) {
            n = notifier;
            notifier = null;
        }
        if (n != null) n.close();
        listeners.clear();
    }
}
