package org.cairndb.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The locker: row locks on the objects a transaction writes or checks, and the short global
 * tid lock.
 *
 * <h2>Locking</h2>
 * At vote the rows of written objects are locked {@code FOR UPDATE} and the rows of objects
 * given to checkCurrent {@code FOR SHARE}, all in one ascending oid order: the oids are
 * walked sorted, and each run of oids of one lock mode is one statement (usually one or two
 * statements in all). Taking shared and exclusive locks in two separate passes would deadlock
 * (A writes 1 and reads 2 while B writes 2 and reads 1). New objects have no row yet; a
 * placeholder row is inserted for them, which holds the lock as well. The tid lock is taken
 * last, at finish (see statements-common.sql), so lock waits never form a cycle.
 *
 * <h2>Alternatives rejected</h2>
 * Advisory locks per oid ({@code pg_advisory_xact_lock(oid)}) would need no placeholder rows,
 * but each one takes a slot of PostgreSQL's shared lock table (max_locks_per_transaction ×
 * max_connections): one large transaction, an import of 100,000 objects through commit,
 * would fail with "out of shared memory". Row locks live in the rows themselves and have no
 * such limit; and the committed tid comes back with the lock in the same statement. A
 * single global lock for the whole commit (ZEO's way) would serialise writers of unrelated
 * objects, which is what this storage exists to avoid.
 */
final class PgLocker {
    private final PgLayout layout;

    PgLocker(PgLayout layout) {
        this.layout = layout;
    }

    /** What vote learns while locking: committed tids, and the database transaction's id. */
    record Locked(Map<Long, Long> tids, long xid) {}

    /**
     * Locks like {@link #lockRows} and, in the same round trip as the first lock statement,
     * asks for the database transaction's id (low 32 bits, as xmin holds it).
     */
    Locked lockRowsAndIdentify(Connection c, long[] writes, long[] reads) throws SQLException {
        long[] xid = {-1};
        Map<Long, Long> tids = lockRows(c, writes, reads, xid);
        if (xid[0] < 0) {
            try (PreparedStatement ps = c.prepareStatement(layout.sql.get("xid")); ResultSet rs = ps.executeQuery()) {
                rs.next();
                xid[0] = rs.getLong(1) & 0xFFFFFFFFL;
            }
        }
        return new Locked(tids, xid[0]);
    }

    /**
     * Locks the rows of {@code writes} exclusively and of {@code reads} shared (an oid in both
     * counts as written), in ascending oid order.
     *
     * @return oid → committed tid for every locked oid that has a row
     */
    Map<Long, Long> lockRows(Connection c, long[] writes, long[] reads) throws SQLException {
        return lockRows(c, writes, reads, null);
    }

    private Map<Long, Long> lockRows(Connection c, long[] writes, long[] reads, long[] xid) throws SQLException {
        TreeMap<Long, Boolean> modes = new TreeMap<>(); // signed order, as PostgreSQL sorts bigint
        for (long r : reads) modes.put(r, Boolean.FALSE);
        for (long w : writes) modes.put(w, Boolean.TRUE);
        Map<Long, Long> tids = new HashMap<>();
        List<Long> run = new ArrayList<>();
        Boolean runMode = null;
        for (Map.Entry<Long, Boolean> e : modes.entrySet()) {
            if (runMode != null && !runMode.equals(e.getValue())) {
                lockRun(c, run, runMode, tids, xid);
                run.clear();
            }
            runMode = e.getValue();
            run.add(e.getKey());
        }
        if (!run.isEmpty()) lockRun(c, run, runMode, tids, xid);
        return tids;
    }

    private void lockRun(Connection c, List<Long> oids, boolean exclusive, Map<Long, Long> tids, long[] xid) throws SQLException {
        long[] arr = oids.stream().mapToLong(Long::longValue).toArray();
        String lock = layout.sql.get(exclusive ? "lock_rows_update" : "lock_rows_share");
        boolean identify = xid != null && xid[0] < 0;
        // Both statements go to the server in one round trip when the id is wanted.
        try (PreparedStatement ps = c.prepareStatement(identify ? layout.sql.get("xid") + "; " + lock : lock)) {
            ps.setObject(1, arr);
            boolean result = ps.execute();
            if (identify) {
                try (ResultSet rs = ps.getResultSet()) {
                    rs.next();
                    xid[0] = rs.getLong(1) & 0xFFFFFFFFL;
                }
                result = ps.getMoreResults();
            }
            if (!result) throw new SQLException("no result from the lock statement");
            try (ResultSet rs = ps.getResultSet()) {
                while (rs.next()) tids.put(rs.getLong(1), rs.getLong(2));
            }
        }
    }

    /**
     * Inserts locked placeholder rows for new objects (sorted oids).
     *
     * @return the oids that got a placeholder; the others were created meanwhile by another
     *         transaction (a conflict for the caller)
     */
    List<Long> insertPlaceholders(Connection c, long[] sortedOids) throws SQLException {
        List<Long> inserted = new ArrayList<>();
        if (sortedOids.length == 0) return inserted;
        try (PreparedStatement ps = c.prepareStatement(layout.sql.get("insert_placeholders"))) {
            ps.setObject(1, sortedOids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) inserted.add(rs.getLong(1));
            }
        }
        return inserted;
    }

    /** Takes the tid lock (held until COMMIT/ROLLBACK) and returns the last committed tid. */
    long lockTid(Connection c, long key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(layout.sql.get("lock_tid"))) {
            ps.setLong(1, key);
            ps.execute();
        }
        try (PreparedStatement ps = c.prepareStatement(layout.sql.get("max_tid")); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
