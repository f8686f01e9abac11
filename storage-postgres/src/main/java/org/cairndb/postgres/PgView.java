package org.cairndb.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Set;
import org.cairndb.storage.Invalidations;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.StorageClosedException;
import org.cairndb.storage.StorageView;

/**
 * A snapshot: one REPEATABLE READ, READ ONLY database transaction on a pooled connection,
 * begun at open and at each sync. PostgreSQL's MVCC keeps every row version this snapshot
 * sees, so even the history-free layout (which overwrites rows) gives a consistent view.
 *
 * <h2>Sync: one round trip</h2>
 * {@code COMMIT; BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT tid, oids FROM
 * transaction_log WHERE tid > :last} goes to the server as one request. The SELECT is the
 * first statement of the new transaction, so it fixes the snapshot, and what it returns is
 * exactly what the new snapshot holds beyond the old one: the invalidations and the new tid.
 * (Rows appear in tid order, see PgLocker, so no gap can hide below the last tid seen.)
 * The SELECT is the layout's {@code poll}: history-free, a view whose tid is below the
 * pruned horizon ({@link PgLogPruner}) gets the pruned range from object_state instead, so it
 * still learns every oid that changed. The oids also go to the oid allocator
 * ({@link PgOidAllocator#noteSynced}), which skips any that lie in blocks it holds.
 *
 * <p>If the connection broke (PostgreSQL restarted), a load throws RetryableException and the
 * next sync starts over on a new connection; the log still says what changed since.
 */
final class PgView implements StorageView {
    private final PostgresStorage s;
    /**
     * Guards conn: the view's own thread uses it, and a voting transaction of another thread
     * may borrow the snapshot to read a conflict's ancestor ({@link #stateIfAt}).
     */
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
    private Connection conn;
    private long tid;
    private boolean closed;

    PgView(PostgresStorage s) {
        this.s = s;
        try {
            connect();
            this.tid = firstSnapshot();
            s.oids().catchUp(conn, tid); // oids stored directly since the allocator last looked
        } catch (SQLException e) {
            drop();
            throw PgErrors.translate(s.name(), "opening a view", e);
        }
    }

    private void connect() throws SQLException {
        conn = s.cx().forView();
        conn.setAutoCommit(true); // BEGIN/COMMIT are sent by hand so sync takes one round trip
    }

    private long firstSnapshot() throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT coalesce(max(tid), 0) FROM "
                    + s.layout().sql.schema() + ".transaction_log");
            ResultSet rs = resultOf(st);
            rs.next();
            return rs.getLong(1);
        }
    }

    private static ResultSet resultOf(Statement st) throws SQLException {
        while (true) {
            ResultSet rs = st.getResultSet();
            if (rs != null) return rs;
            if (!st.getMoreResults() && st.getUpdateCount() == -1) throw new SQLException("no result set from the snapshot query");
        }
    }

    @Override
    public long tid() { return tid; }

    /**
     * The data of {@code oid} in this view's snapshot if its revision there is exactly
     * {@code tid}; else null. How a history-free storage finds the ancestor of a conflict:
     * the writer read the object through a view of this process whose snapshot still holds
     * that row version (PostgreSQL keeps it while the snapshot is open).
     */
    byte[] stateIfAt(long oid, long wantedTid) {
        lock.lock();
        try {
            if (closed || conn == null || tid < wantedTid) return null;
            Loaded l = s.layout().loadCurrent(conn, oid);
            return l.tid() == wantedTid ? l.data() : null;
        } catch (SQLException e) {
            if (PgErrors.isConnectionLoss(e)) drop(); // the owner's next sync reconnects
            return null;
        } catch (RuntimeException e) {
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** This view's revision of {@code oid} (any tid), or null; for another thread, like {@link #stateIfAt}. */
    Loaded revisionOf(long oid) {
        lock.lock();
        try {
            if (closed || conn == null) return null;
            return s.layout().loadCurrent(conn, oid);
        } catch (SQLException e) {
            if (PgErrors.isConnectionLoss(e)) drop(); // the owner's next sync reconnects
            return null;
        } catch (RuntimeException e) {
            return null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Loaded load(long oid) {
        lock.lock();
        try {
            return doLoad(oid);
        } finally {
            lock.unlock();
        }
    }

    private Loaded doLoad(long oid) {
        requireOpen();
        dropIfBroken();
        if (conn == null) {
            throw new RetryableException("view of storage '" + s.name() + "' lost its connection to PostgreSQL; sync it to go on");
        }
        try {
            return s.layout().loadCurrent(conn, oid);
        } catch (SQLException e) {
            if (PgErrors.isConnectionLoss(e)) drop();
            throw PgErrors.translate(s.name(), "loading oid 0x" + Long.toHexString(oid) + " in a view", e);
        }
    }

    @Override
    public Invalidations sync() {
        lock.lock();
        try {
            return doSync();
        } finally {
            lock.unlock();
        }
    }

    private Invalidations doSync() {
        requireOpen();
        dropIfBroken();
        long from = tid;
        try {
            // the layout's poll (history-free: fills a pruned range from object_state), with its parameter inlined
            String poll = s.layout().sql.get("poll").replace("?", Long.toString(from));
            String sql;
            if (conn == null) {
                connect();
                sql = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; " + poll;
            } else {
                sql = "COMMIT; BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; " + poll;
            }
            Set<Long> oids = new LinkedHashSet<>();
            long last = from;
            try (Statement st = conn.createStatement()) {
                st.execute(sql);
                try (ResultSet rs = resultOf(st)) {
                    while (rs.next()) {
                        last = rs.getLong(1);
                        Array a = rs.getArray(2);
                        for (Long o : (Long[]) a.getArray()) oids.add(o);
                    }
                }
            }
            tid = last;
            s.oids().noteSynced(from, last, oids.stream().mapToLong(Long::longValue).toArray());
            return new Invalidations(from, last, oids.stream().mapToLong(Long::longValue).toArray(), false);
        } catch (SQLException e) {
            drop();
            throw PgErrors.translate(s.name(), "syncing a view", e);
        }
    }

    /**
     * The pool closes a connection that met a fatal error (PostgreSQL restarted), even in a
     * call of another thread that only borrowed this snapshot ({@link #stateIfAt}): then this
     * view starts over on a new connection, as after a lost connection, instead of failing
     * on "Connection is closed".
     */
    private void dropIfBroken() {
        try {
            if (conn != null && conn.isClosed()) drop();
        } catch (SQLException e) {
            drop();
        }
    }

    private void drop() {
        Connection c = conn;
        conn = null;
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // broken connection: the pool discards it
        }
    }

    private void requireOpen() {
        if (closed) throw new StorageClosedException("view of storage '" + s.name() + "'");
        s.requireOpen();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            doClose();
        } finally {
            lock.unlock();
        }
        s.viewClosed(this);
    }

    private void doClose() {
        if (closed) return;
        closed = true;
        if (conn != null) {
            try (Statement st = conn.createStatement()) {
                st.execute("ROLLBACK");
            } catch (SQLException ignored) {
                // broken: dropped below
            }
        }
        drop();
    }
}
