package org.cairndb.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cairndb.storage.CommitListener;

/**
 * The poller: tells {@link CommitListener}s of every committed transaction, this process's
 * and other processes', exactly once and in tid order.
 *
 * <h2>How</h2>
 * Everything is read from the transaction log ("tid &gt; last reported"), in a snapshot taken at
 * a safe horizon ({@link PgHorizon}): writers commit out of tid order, and a listener told of
 * tid 2 must never learn of tid 1 afterwards. A local commit reads the log on the committing
 * thread before finish returns (its own tid is in that snapshot, after any earlier tid of
 * others, which it may wait for). Commits of other processes are read when a NOTIFY arrives
 * ({@link PgNotifier}); the log, not the notification payload, is the source of truth, so
 * a lost or merged notification loses nothing. One monitor orders both paths.
 *
 * <p>Alternatives rejected: firing the local commit at once, with the tid the commit returned
 * (the first version, when commits were in tid order): a smaller tid of another process may
 * still be in flight, and reporting it later would break the order listeners rely on.
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

    /** A local commit of {@code tid}: report it, after every earlier commit, from the log. */
    void localCommit(long tid, long[] oids) {
        if (listeners.isEmpty()) return;
        synchronized (this) {
            if (tid > reported) readLog(Long.MAX_VALUE);
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
        record Txn(long tid, long[] oids) {}
        String poll = s.layout().sql.get("poll");
        try (Connection c = s.cx().get()) {
            long from = reported;
            List<Txn> rows = s.horizon().read(c, from, new PgHorizon.Snapshot<List<Txn>>() {
                @Override
                public List<Txn> take(Connection cc) throws SQLException {
                    List<Txn> out = new ArrayList<>();
                    try (PreparedStatement ps = cc.prepareStatement(poll)) {
                        Sql.bindCycling(ps, poll, from);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) out.add(new Txn(rs.getLong(1), PostgresStorage.toLongs(rs.getArray(2))));
                        }
                    }
                    return out;
                }

                @Override
                public long max(List<Txn> r) {
                    return r.isEmpty() ? from : r.get(r.size() - 1).tid();
                }
            });
            c.commit();
            for (Txn t : rows) {
                if (t.tid() > upTo) break;
                fire(t.tid(), t.oids());
                reported = t.tid();
            }
        } catch (SQLException e) {
            // Not fatal for anyone's transaction: the next notification or commit reads on from `reported`.
            if (!PgErrors.isConnectionLoss(e))
                throw PgErrors.translate(s.name(), "reading the transaction log for listeners", e);
        }
    }

    private void fire(long tid, long[] oids) {
        for (CommitListener l : listeners) {
            try {
                l.committed(tid, oids);
            } catch (RuntimeException e) {
                // a listener's bug must not stop the others or the commit
                LOG.log(
                        System.Logger.Level.WARNING,
                        "commit listener failed on tid " + tid + " of storage '" + s.name() + "'",
                        e);
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
