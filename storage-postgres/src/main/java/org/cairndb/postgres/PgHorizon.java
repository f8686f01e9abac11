package org.cairndb.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The readers' safe horizon: how anyone who reads "what committed since tid X" (a view's
 * sync, the commit listeners' poller, lastTid, iteration, the oid allocator, the log pruner)
 * gets a snapshot that holds a PREFIX of tid order, although writers no longer commit in tid
 * order.
 *
 * <h2>Why commits are out of order</h2>
 * A writer chooses its tid under a short session lock ({@code cairn_alloc_tid}) and COMMITs
 * after releasing it, so the WAL flushes of concurrent writers overlap and PostgreSQL's group
 * commit batches them (with the tid lock held through COMMIT, every commit waited for the
 * previous one's flush: 4 writers were no faster than one, docs/bench/pg.md). So writer A may
 * get tid 1, writer B tid 2, and B's commit become visible before A's. A reader that then
 * took "tid > last seen" would see 2, move its last tid to 2 and never see 1.
 *
 * <h2>The check</h2>
 * While it holds the allocation lock, a writer takes its in-flight marker (a transaction
 * advisory lock keyed by its tid, released by its COMMIT or ROLLBACK, or by its backend's
 * death) and only then publishes the high-water mark H (a sequence, not transactional).
 * A reader reads H, then the markers in flight F (pg_locks), then takes its snapshot S, in
 * that order ({@code cairn_inflight}). Let M be the greatest tid in S. If M &le; H, every
 * tid below M was allocated before H was read, so it had either ended before F was read
 * (then it is in S iff it committed) or is in F. So S is a prefix of tid order iff every
 * f in F below M is in S (committed in between); if one is not, the reader waits for it
 * (a shared lock on its marker, taken and released: woken by its COMMIT/ROLLBACK, no timer)
 * and takes the snapshot again. If M &gt; H (someone allocated and committed between the
 * reads) it simply tries again. An accepted M is also a floor: every tid in flight after
 * that is above it, so later reads need only look at markers above the greatest M accepted
 * in this process ({@link #accepted}).
 *
 * <h2>Starvation</h2>
 * Under a steady stream of commits every try could meet a new writer. After {@link #TRIES}
 * tries the reader takes the allocation lock itself ({@code cairn_drain}), so no tid is
 * chosen meanwhile, waits for the transactions in flight, takes its snapshot and unlocks:
 * a bounded stall of the writers for about one flush, and the snapshot is then a prefix
 * without a check.
 *
 * <h2>Concurrency</h2>
 * A writer holding its marker waits for nothing but its own COMMIT; a reader waits for
 * markers (or the allocation lock) holding no lock a writer needs, so no cycle forms. The
 * allocation lock is a session lock on a pooled connection: every path that takes it
 * releases it in the same round trip or in a finally, and a connection whose release failed
 * is evicted from the pool ({@link #unlock}).
 *
 * <h2>Alternatives rejected</h2>
 * The tid lock held through COMMIT (the first design): simple and in order, but it puts
 * every commit's fdatasync under one lock, so no group commit. Waiting for every writer in
 * flight at each sync (no check): correct but makes every reader wait a flush while any
 * writer commits. A table of in-flight tids: rows are transactional, a reader could not see
 * an uncommitted writer's row. Always taking the allocation lock to read: stalls writers at
 * every sync.
 */
final class PgHorizon {
    /** Optimistic tries before a reader drains the writers in flight. */
    static final int TRIES = 3;

    private final PostgresStorage s;
    private final String schema;
    /** The greatest tid accepted as a safe horizon in this process: every tid in flight now is above it. */
    private final AtomicLong floor = new AtomicLong();

    PgHorizon(PostgresStorage s) {
        this.s = s;
        this.schema = s.layout().sql.schema();
    }

    /** The high-water mark and the tids in flight, read before a snapshot. */
    record InFlight(long high, long[] tids) {}

    private long key() {
        return s.tidLockKey();
    }

    /** The lower bound of markers worth looking at: the reader's own and this process's floor; -1 if none known. */
    long after(long known) {
        long a = Math.max(known, floor.get());
        return a > 0 ? a : -1;
    }

    String inflightSql(long known) {
        return "SELECT high, tids FROM " + schema + ".cairn_inflight(" + key() + ", " + after(known) + ")";
    }

    String awaitSql(long[] tids) {
        return "SELECT " + schema + ".cairn_await(" + key() + ", '" + literal(tids) + "'::bigint[])";
    }

    String drainSql(long known) {
        return "SELECT " + schema + ".cairn_drain(" + key() + ", " + after(known) + ")";
    }

    String unlockSql() {
        return "SELECT pg_advisory_unlock(" + key() + ")";
    }

    static InFlight inFlight(ResultSet rs) throws SQLException {
        if (!rs.next()) throw new SQLException("cairn_inflight returned no row");
        return new InFlight(rs.getLong(1), PostgresStorage.toLongs(rs.getArray(2)));
    }

    /** Tids of {@code f} below {@code max}: those whose commit the snapshot may lack. */
    static long[] below(InFlight f, long max) {
        return java.util.Arrays.stream(f.tids()).filter(t -> t < max).toArray();
    }

    /**
     * Whether a snapshot whose greatest tid is {@code max} is a prefix of tid order, given what
     * was in flight before it and which of {@code below(f, max)} it holds.
     *
     * @return null if it is; else the tids to wait for before trying again (empty: try at once)
     */
    static long[] blockers(InFlight f, long max, Set<Long> committedBelow) {
        if (max > f.high()) return new long[0];
        long[] w = java.util.Arrays.stream(below(f, max))
                .filter(t -> !committedBelow.contains(t))
                .toArray();
        return w.length == 0 ? null : w;
    }

    void accepted(long tid) {
        floor.accumulateAndGet(tid, Math::max);
    }

    /** What a reader takes in its snapshot (the caller's transaction, begun by {@link #read}). */
    interface Snapshot<T> {
        T take(Connection c) throws SQLException;

        /** The greatest tid of the snapshot that the reader will report (or its lower bound if none). */
        long max(T r);
    }

    /**
     * Takes {@code q} on pooled connection {@code c} (autocommit off, any isolation) at a safe
     * horizon; {@code known}: a tid the reader already knows to be safe (0: none). Returns with
     * the snapshot's transaction still open: the caller reads on in it and commits.
     */
    <T> T read(Connection c, long known, Snapshot<T> q) throws SQLException {
        c.setAutoCommit(false);
        c.setTransactionIsolation(
                Connection.TRANSACTION_REPEATABLE_READ); // the membership check reads the same snapshot
        for (int attempt = 0; attempt < TRIES; attempt++) {
            InFlight f;
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(inflightSql(known))) {
                f = inFlight(rs);
            }
            c.commit(); // the snapshot must begin after H and F were read
            T r = q.take(c);
            long max = q.max(r);
            long[] maybe = below(f, max);
            long[] wait = blockers(f, max, maybe.length == 0 || max > f.high() ? Set.of() : committedAmong(c, maybe));
            if (wait == null) {
                accepted(max);
                return r;
            }
            c.rollback();
            if (wait.length > 0) {
                try (Statement st = c.createStatement()) {
                    st.execute(awaitSql(wait));
                }
                c.commit();
            }
        }
        return drained(c, known, q);
    }

    private <T> T drained(Connection c, long known, Snapshot<T> q) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(drainSql(known));
        }
        boolean ok = false;
        try {
            c.commit(); // a new snapshot, with no tid chosen since the drain
            T r = q.take(c);
            accepted(q.max(r));
            ok = true;
            return r;
        } finally {
            unlock(c, !ok);
        }
    }

    /** Releases the allocation lock taken by a drain; a connection on which that fails leaves the pool. */
    void unlock(Connection c, boolean rollbackFirst) {
        unlock(c, rollbackFirst, false);
    }

    void unlock(Connection c, boolean rollbackFirst, boolean ofView) {
        try {
            if (rollbackFirst) c.rollback();
            try (Statement st = c.createStatement()) {
                st.execute(unlockSql());
            }
        } catch (SQLException e) {
            s.cx().evict(c, ofView);
        }
    }

    /** Which of {@code tids} the open snapshot of {@code c} holds. */
    Set<Long> committedAmong(Connection c, long[] tids) throws SQLException {
        Set<Long> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(s.layout().sql.get("committed_among"))) {
            ps.setObject(1, tids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getLong(1));
            }
        }
        return out;
    }

    /** The greatest tid such that every transaction up to it that will ever commit has committed. */
    long lastTid() {
        try (Connection c = s.cx().get()) {
            long last = read(c, 0, new Snapshot<Long>() {
                @Override
                public Long take(Connection cc) throws SQLException {
                    try (PreparedStatement ps =
                                    cc.prepareStatement(s.layout().sql.get("max_tid"));
                            ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }

                @Override
                public long max(Long r) {
                    return r;
                }
            });
            c.commit();
            return last;
        } catch (SQLException e) {
            throw PgErrors.translate(s.name(), "reading the last tid", e);
        }
    }

    /** Waits until every transaction now in flight has ended (a lost COMMIT that wrote no object). */
    void drainOnly(Connection c) throws SQLException {
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            st.execute(drainSql(0));
        } finally {
            unlock(c, false);
        }
    }

    static String literal(long[] tids) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < tids.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(tids[i]);
        }
        return sb.append('}').toString();
    }
}
