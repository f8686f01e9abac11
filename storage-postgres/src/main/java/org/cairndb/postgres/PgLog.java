package org.cairndb.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.cairndb.storage.CommitOutcomeUnknownException;

/**
 * Questions asked of the transaction log: did a transaction whose COMMIT lost its connection
 * commit (and under which tid), which oids a transaction wrote (undo), whether an earlier
 * transaction wrote an object (undo after pack), which transaction replaced a revision
 * (history-free loadBefore from a view's snapshot).
 */
final class PgLog {
    /** How long finish keeps asking whether a COMMIT whose connection broke went through. */
    private static final long COMMIT_CHECK_DEADLINE_SECONDS = 60;

    private final PostgresStorage s;

    PgLog(PostgresStorage s) {
        this.s = s;
    }

    /** True if a transaction before {@code tid} wrote {@code oid} (its revision may be gone by pack). */
    boolean writtenBefore(Connection c, long oid, long tid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(s.layout().sql.get("written_before"))) {
            ps.setLong(1, tid);
            ps.setLong(2, oid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The first transaction after {@code after} and up to {@code upTo} that wrote {@code oid}, or 0. */
    long nextWriter(Connection c, long oid, long after, long upTo) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(s.layout().sql.get("next_writer"))) {
            ps.setLong(1, after);
            ps.setLong(2, upTo);
            ps.setLong(3, oid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The tid under which database transaction {@code xid} committed, or null if it did not,
     * asked after the connection broke during its COMMIT. First waits until that transaction
     * has ended, if its old session is still finishing it: vote locked the rows of every
     * object it wrote (a placeholder row for a new one) and holds them until it ends, so
     * taking the same locks in a throwaway transaction (rolled back) waits for exactly that;
     * a transaction that wrote no object has no rows to wait on, then every transaction in
     * flight is drained ({@link PgHorizon#drainOnly}). Keeps asking on fresh connections
     * (each borrow has the pool's deadline) until the overall deadline fails it.
     */
    Long committedTid(long xid, long candidate, long[] written, SQLException cause) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(COMMIT_CHECK_DEADLINE_SECONDS);
        SQLException last = cause;
        while (System.nanoTime() < deadline && !s.isClosed()) {
            try (Connection c = s.cx().get()) {
                c.setAutoCommit(false);
                if (written.length > 0) {
                    // all as "created": the INSERT ... ON CONFLICT lock also waits for a placeholder
                    // row the old transaction inserted (a SELECT ... FOR UPDATE would not see it)
                    java.util.Set<Long> all = new java.util.HashSet<>();
                    for (long o : written) all.add(o);
                    s.locker().lock(c, written, new long[0], all);
                    c.rollback();
                } else {
                    s.horizon().drainOnly(c);
                    c.setAutoCommit(false);
                }
                Long tid = null;
                try (PreparedStatement ps = c.prepareStatement(s.layout().sql.get("txn_by_xid"))) {
                    ps.setLong(1, candidate);
                    ps.setLong(2, xid);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) tid = rs.getLong(1);
                    }
                }
                c.commit();
                return tid;
            } catch (SQLException e) {
                last = e;
                if (!PgErrors.isConnectionLoss(e)) break;
            }
        }
        throw new CommitOutcomeUnknownException(
                "storage '" + s.name() + "': the connection was lost during COMMIT of PostgreSQL"
                        + " transaction " + xid + " and PostgreSQL could not be asked afterwards whether it committed ("
                        + last.getMessage()
                        + "). It may or may not have: look in " + s.layout().sql.schema()
                        + ".transaction_log for a row with tid >= "
                        + candidate + " and xmin " + xid + " before running the transaction again.",
                candidate - 1,
                last);
    }

    long[] transactionOids(Connection c, long tid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(s.layout().sql.get("txn_oids"))) {
            ps.setLong(1, tid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                return PostgresStorage.toLongs(rs.getArray(1));
            }
        }
    }
}
