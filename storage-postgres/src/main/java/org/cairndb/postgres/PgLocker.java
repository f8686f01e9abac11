package org.cairndb.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The locker: row locks on the objects a transaction writes or checks. (The tid is chosen at
 * finish under a short allocation lock released before COMMIT: see cairn_alloc_tid and
 * {@link PgHorizon}.)
 *
 * <h2>Locking</h2>
 * At vote the rows of written objects are locked exclusively and the rows of objects given to
 * checkCurrent {@code FOR SHARE}, all in one ascending oid order: the oids are walked sorted,
 * and each run of oids of one lock mode is one statement (usually one or two statements in
 * all). Taking shared and exclusive locks in two separate passes would deadlock (A writes 1
 * and reads 2 while B writes 2 and reads 1). A written object may have no row yet (a new
 * object): the write statement is an {@code INSERT ... SELECT ... ORDER BY oid ON CONFLICT DO
 * UPDATE ... WHERE false}, which goes through the oids in that order and for each one either
 * inserts a placeholder row (tid 0, which holds the lock as well and makes a second creator of
 * the same oid wait for us) or, if the row exists, locks it without changing it (PostgreSQL
 * locks a conflicting row for DO UPDATE even when the WHERE rejects the update). New and
 * existing objects are therefore locked in one pass, in one total order that PostgreSQL
 * follows row by row, and two writers creating the same new oids cannot wait for each other
 * in a cycle. The committed tids are read by a statement of its own right after (in READ
 * COMMITTED it sees the newest committed version of each row we now hold). A run in which
 * every object is stored over a committed revision (the common update) needs no placeholder
 * and takes the one-statement {@code SELECT ... ORDER BY oid FOR UPDATE}, in the same order.
 * The allocation lock is taken last, at finish, and held by nobody who waits for a row (see
 * statements-common.sql), so lock waits never form a cycle. These row locks are also how a
 * lost COMMIT is waited for ({@link PgLog#committedTid}).
 *
 * <h2>Alternatives rejected</h2>
 * Locking existing rows first and inserting placeholders for new ones in a second pass (the
 * first version) breaks the single order: A locks 5 and then waits to insert 1, while B,
 * which found 5 missing at its first pass, inserted 1 and then waits for 5 (PostgreSQL
 * reported 40P01). Advisory locks per oid ({@code pg_advisory_xact_lock(oid)}) would need no
 * placeholder rows, but each one takes a slot of PostgreSQL's shared lock table
 * (max_locks_per_transaction × max_connections): one large transaction, an import of 100,000
 * objects through commit, would fail with "out of shared memory". Row locks live in the rows
 * themselves and have no such limit. A plain {@code DO UPDATE} (without {@code WHERE false})
 * would return the tids in the same statement but write a new version of every existing row
 * at vote, and the commit writes one again. A single global lock for the whole commit (ZEO's
 * way) would serialise writers of unrelated objects, which is what this storage exists to
 * avoid.
 */
final class PgLocker {
    private final PgLayout layout;

    PgLocker(PgLayout layout) {
        this.layout = layout;
    }

    /** What vote learns while locking: committed tids, and the database transaction's id. */
    record Locked(Map<Long, Long> tids, long xid) {}

    /**
     * Locks the rows of {@code writes} exclusively (inserting placeholder rows for those that
     * have none; {@code created} names the written oids stored as new objects, the only ones
     * that may need one) and of {@code reads} shared (an oid in both counts as written), in ascending
     * oid order, and asks in the same round trip for the database transaction's id (low 32
     * bits, as xmin holds it).
     *
     * @return oid → committed tid for every locked oid that has a committed row (oids that
     *         got a placeholder are absent: they do not exist yet)
     */
    Locked lock(Connection c, long[] writes, long[] reads, Set<Long> created) throws SQLException {
        TreeMap<Long, Boolean> modes = new TreeMap<>(); // signed order, as PostgreSQL sorts bigint
        for (long r : reads) modes.put(r, Boolean.FALSE);
        for (long w : writes) modes.put(w, Boolean.TRUE);
        Map<Long, Long> tids = new HashMap<>();
        long[] xid = {-1};
        List<Long> run = new ArrayList<>();
        Boolean runMode = null;
        boolean runCreates = false;
        for (Map.Entry<Long, Boolean> e : modes.entrySet()) {
            if (runMode != null && !runMode.equals(e.getValue())) {
                lockRun(c, run, runMode, runCreates, tids, xid);
                run.clear();
                runCreates = false;
            }
            runMode = e.getValue();
            run.add(e.getKey());
            runCreates |= runMode && created.contains(e.getKey());
        }
        if (!run.isEmpty()) lockRun(c, run, runMode, runCreates, tids, xid);
        if (xid[0] < 0) {
            try (PreparedStatement ps = c.prepareStatement(layout.sql.get("xid"));
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                xid[0] = rs.getLong(1) & 0xFFFFFFFFL;
            }
        }
        return new Locked(tids, xid[0]);
    }

    /**
     * One run of oids of one mode, in one round trip: [the xid query;] the lock statement
     * (written, with objects to create: lock_or_insert_rows then row_tids; written, all of
     * them stored over a committed revision: lock_rows_update, which returns the tids itself,
     * one statement less; checked: lock_rows_share). An object stored over a revision has a
     * row unless pack removed it, and then the transaction fails with a conflict anyway, so
     * it never needs a placeholder.
     */
    private void lockRun(
            Connection c, List<Long> oids, boolean exclusive, boolean creates, Map<Long, Long> tids, long[] xid)
            throws SQLException {
        long[] arr = oids.stream().mapToLong(Long::longValue).toArray();
        boolean identify = xid[0] < 0;
        boolean insert = exclusive && creates;
        StringBuilder sql = new StringBuilder();
        if (identify) sql.append(layout.sql.get("xid")).append("; ");
        if (insert)
            sql.append(layout.sql.get("lock_or_insert_rows")).append("; ").append(layout.sql.get("row_tids"));
        else sql.append(layout.sql.get(exclusive ? "lock_rows_update" : "lock_rows_share"));
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            ps.setObject(1, arr);
            if (insert) ps.setObject(2, arr);
            boolean result = ps.execute();
            if (identify) {
                try (ResultSet rs = ps.getResultSet()) {
                    rs.next();
                    xid[0] = rs.getLong(1) & 0xFFFFFFFFL;
                }
                result = ps.getMoreResults();
            }
            if (insert) {
                if (result) throw new SQLException("lock_or_insert_rows returned rows (a bug in storage-postgres)");
                result = ps.getMoreResults(); // past the INSERT's update count to row_tids
            }
            if (!result) throw new SQLException("no result from the lock statement");
            try (ResultSet rs = ps.getResultSet()) {
                while (rs.next()) {
                    long tid = rs.getLong(2);
                    if (tid != 0) tids.put(rs.getLong(1), tid); // tid 0: our placeholder, the object is new
                }
            }
        }
    }
}
