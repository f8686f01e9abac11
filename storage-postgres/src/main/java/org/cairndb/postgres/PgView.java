package org.cairndb.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.cairndb.storage.Invalidations;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.StorageClosedException;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.spi.SnapshotRecordCache;

/**
 * A snapshot: one REPEATABLE READ, READ ONLY database transaction on a pooled connection,
 * begun at open and at each sync. PostgreSQL's MVCC keeps every row version this snapshot
 * sees, so even the history-free layout (which overwrites rows) gives a consistent view.
 *
 * <h2>Sync: one round trip</h2>
 * {@code SELECT cairn_inflight(...); COMMIT; BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
 * SELECT tid, oids FROM transaction_log WHERE tid > :last} goes to the server as one request.
 * The first statement reads the tid high-water mark and the tids in flight, outside MVCC,
 * before the new snapshot exists; the poll is the first statement of the new transaction, so
 * it fixes the snapshot, and what it returns is exactly what the new snapshot holds beyond
 * the old one: the invalidations and the new tid. Writers commit out of tid order, so the
 * snapshot is accepted only if it is a prefix of tid order ({@link PgHorizon}: no tid in
 * flight below its greatest); otherwise the next request first waits for those writers,
 * and after a few tries the view drains the writers in flight. Usually the first try holds.
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

    /**
     * With a record cache that knows the log up to some tid K, the first snapshot polls the log
     * from K (as a sync does) and hands what it read to the cache: a new view then finds the
     * cache current at its own tid and reads from it. Without one (or before it knows any
     * tid), only the newest tid is read; the cache is then told of a gap up to it.
     */
    private long firstSnapshot() throws SQLException {
        var cache = s.cache();
        long known = cache == null ? 0 : cache.knownTid();
        if (known != 0) {
            List<Txn> rows = snapshot(known, s.layout().sql.get("poll").replace("?", Long.toString(known)), true);
            long last = rows.isEmpty() ? known : rows.get(rows.size() - 1).tid();
            feedCache(known, last, rows);
            return last;
        }
        String last = "SELECT coalesce(max(tid), 0), '{}'::bigint[] FROM "
                + s.layout().sql.schema() + ".transaction_log";
        List<Txn> rows = snapshot(0, last, false);
        long t = rows.isEmpty() ? 0 : rows.get(rows.size() - 1).tid();
        if (cache != null) cache.invalidate(t, t, List.of()); // nothing known before t: a gap
        return t;
    }

    /** Tells the shared record cache of the commits in (from, to] this view's snapshot request read. */
    private void feedCache(long from, long to, List<Txn> rows) {
        var cache = s.cache();
        if (cache == null || from == to) return;
        List<SnapshotRecordCache.Commit> commits = new ArrayList<>(rows.size());
        for (Txn t : rows) commits.add(new SnapshotRecordCache.Commit(t.tid(), t.oids()));
        cache.invalidate(from, to, commits);
    }

    /** One row of what a snapshot query returns: a tid and the oids it wrote. */
    private record Txn(long tid, long[] oids) {}

    /**
     * Ends the current snapshot (if any) and takes a new one at a safe horizon
     * ({@link PgHorizon}), running {@code query} (rows of tid, oids in tid order) first in it.
     * Each try is one round trip: [wait for writers;] the high-water mark and the tids in
     * flight; COMMIT; BEGIN; query. {@code rowsAreAll}: the query returns every tid above
     * {@code from} (the poll), so it answers itself which tids in flight committed.
     */
    private List<Txn> snapshot(long from, String query, boolean rowsAreAll) throws SQLException {
        PgHorizon h = s.horizon();
        long[] wait = new long[0];
        for (int attempt = 0; attempt < PgHorizon.TRIES; attempt++) {
            StringBuilder sql = new StringBuilder();
            if (conn == null) {
                connect();
                sql.append("BEGIN; ");
            }
            if (wait.length > 0) sql.append(h.awaitSql(wait)).append("; ");
            sql.append(h.inflightSql(from))
                    .append("; COMMIT; BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; ")
                    .append(query);
            List<Txn> rows = new ArrayList<>();
            PgHorizon.InFlight[] f = new PgHorizon.InFlight[1];
            run(sql.toString(), wait.length > 0 ? 1 : 0, rs -> f[0] = PgHorizon.inFlight(rs), rows);
            long max = rows.isEmpty()
                    ? from
                    : Math.max(from, rows.get(rows.size() - 1).tid());
            long[] maybe = PgHorizon.below(f[0], max);
            Set<Long> committed = new HashSet<>();
            if (rowsAreAll) {
                for (Txn t : rows) committed.add(t.tid());
            } else if (maybe.length > 0 && max <= f[0].high()) {
                committed = h.committedAmong(conn, maybe);
            }
            wait = PgHorizon.blockers(f[0], max, committed);
            if (wait == null) {
                h.accepted(max);
                return rows;
            }
        }
        // Starving: hold off new tids, wait for those in flight, take the snapshot, let go.
        String sql = h.drainSql(from) + "; COMMIT; BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; " + query + "; "
                + h.unlockSql();
        List<Txn> rows = new ArrayList<>();
        try {
            run(sql, 0, rs -> {}, rows);
        } catch (SQLException e) {
            Connection c = conn;
            try (Statement st = c.createStatement()) {
                st.execute("ROLLBACK; " + h.unlockSql());
            } catch (SQLException again) {
                s.cx().evict(c, true); // it may still hold the allocation lock: never back to the pool
                conn = null;
            }
            throw e;
        }
        long max =
                rows.isEmpty() ? from : Math.max(from, rows.get(rows.size() - 1).tid());
        h.accepted(max);
        return rows;
    }

    private interface RsHandler {
        void handle(ResultSet rs) throws SQLException;
    }

    /**
     * Runs a multi-statement request: result set number {@code inflightAt} goes to
     * {@code inflight}, the one after it holds the snapshot query's rows, earlier ones (the
     * wait) and later ones (the unlock) are read and dropped.
     */
    private void run(String sql, int inflightAt, RsHandler inflight, List<Txn> rows) throws SQLException {
        try (Statement st = conn.createStatement()) {
            boolean isRs = st.execute(sql);
            int n = 0;
            while (true) {
                if (isRs) {
                    try (ResultSet rs = st.getResultSet()) {
                        if (n == inflightAt) {
                            inflight.handle(rs);
                        } else if (n == inflightAt + 1) {
                            while (rs.next()) rows.add(new Txn(rs.getLong(1), PostgresStorage.toLongs(rs.getArray(2))));
                        }
                    }
                    n++;
                } else if (st.getUpdateCount() == -1) {
                    break;
                }
                isRs = st.getMoreResults();
            }
            if (n < inflightAt + 2)
                throw new SQLException(
                        "expected " + (inflightAt + 2) + " result sets from the snapshot request, got " + n);
        }
    }

    @Override
    public long tid() {
        return tid;
    }

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
            throw new RetryableException(
                    "view of storage '" + s.name() + "' lost its connection to PostgreSQL; sync it to go on");
        }
        var cache = s.cache();
        if (cache != null) {
            SnapshotRecordCache.Hit hit = cache.get(oid, tid);
            if (hit != null) return new Loaded(oid, hit.tid(), hit.data(), Tid.ZERO);
        }
        try {
            Loaded l = s.layout().loadCurrent(conn, oid);
            if (cache != null) cache.put(oid, l.tid(), l.data(), tid); // read in this snapshot: current at tid
            return l;
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
            List<Txn> rows = snapshot(from, poll, true);
            Set<Long> oids = new LinkedHashSet<>();
            long last = from;
            for (Txn t : rows) {
                last = t.tid();
                for (long o : t.oids()) oids.add(o);
            }
            tid = last;
            feedCache(from, last, rows);
            s.oids()
                    .noteSynced(
                            from, last, oids.stream().mapToLong(Long::longValue).toArray());
            return new Invalidations(
                    from, last, oids.stream().mapToLong(Long::longValue).toArray(), false);
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
