package org.cairndb.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cairndb.storage.ReadConflictException;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.StorageException;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.UndoException;
import org.cairndb.storage.spi.AbstractStorageTransaction;
import org.cairndb.storage.spi.PendingWrite;

/**
 * One two-phase commit against PostgreSQL, on one pooled connection held from vote to
 * finish or abort.
 *
 * <h2>Vote</h2>
 * Opens a READ COMMITTED database transaction, locks the rows of written objects
 * (exclusively, inserting placeholder rows for new ones) and of checked ones (FOR SHARE) in
 * one oid order ({@link PgLocker}), and compares each
 * committed tid with the read tid. A write conflict is given to the resolver registry with
 * the committed state and the ancestor read in this same database transaction, under the row
 * lock, so the merge is made against what is really committed and nobody can commit over it
 * before we do. Nothing is written at vote; other writers of other objects go on.
 *
 * <h2>Finish</h2>
 * One round trip ({@code cairn_finish(...); COMMIT; cairn_notify(...)}): chooses the tid
 * under a short session lock released before COMMIT (greatest(clock, high-water mark + 1);
 * the transaction keeps an in-flight marker until it ends, see {@link PgHorizon}), writes the
 * transaction row and the revisions, and COMMITs, which releases every lock; then NOTIFYs in
 * a little transaction of its own (a NOTIFY inside the commit would serialise commits
 * through their flush again: PostgreSQL holds a database-wide lock from a notifying
 * transaction's commit record until it is flushed; see cairn_notify). The COMMIT and its WAL
 * flush run outside every global lock, so the flushes of concurrent writers are batched by
 * PostgreSQL's group commit. Transactions therefore become visible in commit order, not tid
 * order; readers take their snapshots at a safe horizon ({@link PgHorizon}). PostgreSQL makes
 * a transaction visible only once its commit record is flushed (synchronous_commit on, the
 * default, forced by PgConnections): never visible before durable.
 *
 * <h2>A connection lost during COMMIT</h2>
 * Then nobody knows yet whether PostgreSQL committed, nor (since the tid is chosen inside the
 * same round trip) which tid it got. Vote recorded the database transaction's id; the
 * storage asks on a new connection, after waiting until the old session's transaction has
 * ended either way (it locks the same object rows, which that transaction holds until its
 * end; see {@link PgLog#committedTid}), for the log row at or after the tid it proposed
 * whose xmin is that id: finish returns that row's tid if it exists, and throws a
 * {@link RetryableException} saying the transaction was not committed if it does not.
 * Never a silent loss or a duplicate.
 *
 * <h2>Alternatives rejected</h2>
 * The tid lock held through COMMIT (the first version): transactions became visible in tid
 * order, so readers could trust "tid &gt; last seen", but every commit's fdatasync ran under
 * the lock, one at a time: 4 writers on disjoint objects were no faster than one
 * (docs/bench/pg.md). Choosing the tid at vote: a transaction would hold its marker (and
 * make readers wait) through conflict resolution and the whole vote. NOTIFY inside the
 * committing transaction (the first version): see above; a lost notification costs nothing
 * since listeners read the log, so its own asynchronous commit is enough.
 */
final class PgTransaction extends AbstractStorageTransaction {
    /**
     * Test seam: runs just before COMMIT is sent, with the transaction's connection (a test
     * cuts the connection here to show what finish reports). Null in production.
     */
    static volatile java.util.function.Consumer<Connection> beforeCommit;

    private final PostgresStorage s;
    private Connection conn;
    private List<PgLayout.Row> rows;
    /** PostgreSQL's id of the database transaction (32 bits, as xmin holds it): how finish finds out what a lost COMMIT did. */
    private long xid;

    PgTransaction(PostgresStorage s, TransactionMetadata md) {
        super(s.name(), md);
        this.s = s;
    }

    @Override
    protected Map<Long, byte[]> doVote() {
        s.requireOpen();
        Collection<PendingWrite> ws = writes();
        long[] wOids = ws.stream().mapToLong(PendingWrite::oid).toArray();
        Map<Long, Long> checks = new LinkedHashMap<>(reads());
        for (long o : wOids) checks.remove(o);
        long[] rOids = checks.keySet().stream().mapToLong(Long::longValue).toArray();
        try {
            conn = s.cx().get();
            conn.setAutoCommit(false);
            s.opened(this);
            java.util.Set<Long> created = new java.util.HashSet<>();
            for (PendingWrite w : ws) if (w.readTid() == Tid.ZERO) created.add(w.oid());
            PgLocker.Locked locked = s.locker().lock(conn, wOids, rOids, created);
            xid = locked.xid();
            s.oids().claim(conn, wOids); // oids we did not hand out move the shared mark, before our COMMIT
            Map<Long, Long> current = locked.tids();
            for (Map.Entry<Long, Long> r : checks.entrySet()) {
                long cur = current.getOrDefault(r.getKey(), Tid.ZERO);
                if (cur != r.getValue()) {
                    byte[] committed = cur == Tid.ZERO ? null : s.layout().stateAt(conn, r.getKey(), cur);
                    throw new ReadConflictException(
                            r.getKey(),
                            safeClass(committed),
                            r.getValue(),
                            cur,
                            "checkCurrent found it changed in storage '" + storageName + "'");
                }
            }
            Map<Long, byte[]> resolved = new HashMap<>();
            rows = new ArrayList<>(ws.size());
            for (PendingWrite w : ws) {
                long cur = current.getOrDefault(w.oid(), Tid.ZERO);
                if (cur == w.readTid()) {
                    rows.add(PgLayout.Row.of(w.oid(), w.data(), w.dataTid()));
                    continue;
                }
                byte[] committed = cur == Tid.ZERO ? null : s.layout().stateAt(conn, w.oid(), cur);
                byte[] ancestor = w.readTid() == Tid.ZERO ? null : s.ancestor(conn, w.oid(), w.readTid());
                byte[] merged = resolveOrThrow(s.registry(), w, cur, committed, ancestor);
                resolved.put(w.oid(), merged);
                rows.add(PgLayout.Row.of(w.oid(), merged, Tid.ZERO));
            }
            return resolved;
        } catch (SQLException e) {
            // close() abandoned this transaction's connection under a running statement
            if (s.isClosed()) throw new org.cairndb.storage.StorageClosedException("storage '" + storageName + "'");
            throw PgErrors.translate(
                    storageName,
                    "voting (locking " + wOids.length + " written and " + rOids.length + " checked objects)",
                    e);
        }
    }

    private static String safeClass(byte[] data) {
        try {
            return data == null ? null : RecordHeader.classNameOf(data);
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    protected long doFinish() {
        s.requireOpen(); // a closed storage aborted this transaction's database transaction
        long[] oids = rows.stream().mapToLong(PgLayout.Row::oid).toArray();
        long candidate = Tid.of(java.time.Instant.now());
        long tid;
        try {
            var hook = beforeCommit;
            if (hook != null) hook.accept(conn);
            tid = finishAndCommit(conn, candidate, oids);
        } catch (SQLException e) {
            // The request was cairn_finish; COMMIT; cairn_notify. An error may come from any of
            // them, or the connection may be lost: first end our side (our own row locks would
            // make the check wait for ourselves), then ask by transaction id what happened.
            releaseSessionLocks();
            closeQuietly(true);
            Long committed = s.log().committedTid(xid, candidate, oids, e);
            if (committed == null) {
                if (!PgErrors.isConnectionLoss(e)) {
                    // PostgreSQL answered with an error: the transaction was rolled back
                    throw PgErrors.translate(storageName, "finishing (writing " + oids.length + " objects)", e);
                }
                throw new RetryableException(
                        "storage '" + storageName + "': the connection to PostgreSQL was lost during"
                                + " COMMIT (" + e.getMessage()
                                + "); checked afterwards by its transaction id: it was NOT committed."
                                + " Retry the transaction.",
                        e);
            }
            tid = committed; // committed; only the notification after it failed (listeners still read the log)
        } catch (RuntimeException e) {
            closeQuietly(true); // e.g. the test seam gave up: the transaction is rolled back
            throw e;
        }
        closeQuietly(false);
        s.afterCommit(tid, oids);
        s.cacheCommitted(tid, rows);
        return tid;
    }

    /**
     * One round trip: {@code SELECT cairn_finish(...); COMMIT} go to the server together, so the
     * transaction holds its in-flight marker (which makes readers of a later tid wait) for the
     * server's work and the WAL flush only, not for a network round trip between them. With
     * the test seam {@link PostgresStorage#afterTidChosen} set they go separately and the seam
     * runs in between. Returns the tid.
     */
    private long finishAndCommit(Connection c, long candidate, long[] oids) throws SQLException {
        byte[][] states = new byte[rows.size()][];
        long[] dataTids = new long[rows.size()];
        String[] refs = new String[rows.size()];
        for (int i = 0; i < states.length; i++) {
            PgLayout.Row r = rows.get(i);
            states[i] = r.state();
            dataTids[i] = r.dataTid();
            refs[i] = r.refs() == null ? null : arrayLiteral(r.refs());
        }
        TransactionMetadata md = metadata();
        java.util.function.LongConsumer seam = s.afterTidChosen;
        String notify = "SELECT " + s.layout().sql.schema() + ".cairn_notify(?)";
        try (PreparedStatement ps =
                c.prepareStatement(s.layout().sql.get("finish") + (seam == null ? "; COMMIT; " + notify : ""))) {
            ps.setLong(1, s.tidLockKey());
            ps.setLong(2, candidate);
            ps.setBytes(3, md.user().getBytes(StandardCharsets.UTF_8));
            ps.setBytes(4, md.description().getBytes(StandardCharsets.UTF_8));
            ps.setBytes(5, md.extension());
            ps.setObject(6, oids);
            ps.setArray(7, c.createArrayOf("bytea", states));
            ps.setObject(8, dataTids);
            ps.setArray(9, c.createArrayOf("text", refs));
            ps.setString(10, s.channel());
            if (seam == null) ps.setString(11, s.channel());
            ps.execute();
            long tid;
            try (java.sql.ResultSet rs = ps.getResultSet()) {
                rs.next();
                tid = rs.getLong(1);
            }
            while (ps.getMoreResults() || ps.getUpdateCount() != -1) {
                // drain COMMIT's result; an error in it is thrown by the driver
            }
            if (seam != null) {
                seam.accept(tid);
                c.commit();
                try (PreparedStatement n = c.prepareStatement(notify)) {
                    n.setString(1, s.channel());
                    n.execute();
                }
                c.commit();
            }
            return tid;
        }
    }

    /**
     * After an error in finish: cairn_alloc_tid releases its session lock on every error it
     * can catch; this also covers the instant between taking it and entering its handler,
     * so the pooled connection never goes back holding it.
     */
    private void releaseSessionLocks() {
        Connection c = conn;
        if (c == null) return;
        try {
            c.rollback();
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_unlock_all()");
            }
        } catch (SQLException ignored) {
            // broken connection: the backend ends and its locks with it
        }
    }

    private static String arrayLiteral(long[] refs) {
        StringBuilder sb = new StringBuilder(refs.length * 8 + 2).append('{');
        for (int i = 0; i < refs.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(refs[i]);
        }
        return sb.append('}').toString();
    }

    static void insertTransaction(Connection c, Sql sql, long tid, boolean packed, TransactionMetadata md, long[] oids)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.get("insert_txn"))) {
            ps.setLong(1, tid);
            ps.setBoolean(2, packed);
            ps.setBytes(3, md.user().getBytes(StandardCharsets.UTF_8));
            ps.setBytes(4, md.description().getBytes(StandardCharsets.UTF_8));
            ps.setBytes(5, md.extension());
            ps.setObject(6, oids);
            ps.executeUpdate();
        }
    }

    @Override
    protected void doAbort(boolean mayHoldLock) {
        closeQuietly(true);
    }

    /** Called by the storage's close: drops the database transaction (PostgreSQL rolls it back). */
    void abandon() {
        closeQuietly(true);
    }

    private synchronized void closeQuietly(boolean rollback) {
        Connection c = conn;
        conn = null;
        s.closed(this);
        if (c == null) return;
        try {
            if (rollback && !c.isClosed()) c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool drops it and PostgreSQL rolls the transaction back
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // as above
        }
    }

    /**
     * Undo: each object the transaction wrote goes back to its revision before it, written as
     * a backpointer to the transaction that wrote that data. If a later transaction changed
     * the object since, the resolver registry may merge the undo into the current state.
     */
    @Override
    public long[] undo(long tid) {
        requireActive("undo");
        if (!(s.layout() instanceof HistoryPreservingLayout hp)) {
            throw new UnsupportedOperationException("storage '" + storageName + "' is history-free and cannot undo;"
                    + " open a history=preserving schema to undo transactions");
        }
        try (Connection c = s.cx().get()) {
            long[] oids = s.log().transactionOids(c, tid);
            if (oids == null) {
                throw new UndoException("storage '" + storageName + "': cannot undo transaction " + Tid.describe(tid)
                        + ": no such transaction (never committed, or removed by pack)");
            }
            for (long oid : oids) {
                long cur = hp.currentTid(c, oid);
                HistoryPreservingLayout.Before before = hp.revisionBefore(c, oid, tid);
                byte[] target = before == null ? null : before.state();
                long dataTid =
                        before == null ? Tid.ZERO : before.dataTid() != Tid.ZERO ? before.dataTid() : before.tid();
                if (before == null && s.log().writtenBefore(c, oid, tid)) {
                    throw new UndoException("storage '" + storageName + "': cannot undo transaction "
                            + Tid.describe(tid) + ": the revision of oid 0x" + Long.toHexString(oid)
                            + " before it was removed by pack");
                }
                if (cur == tid) {
                    put(new PendingWrite(oid, cur, target, dataTid));
                    continue;
                }
                byte[] undone = hp.stateAt(c, oid, tid);
                byte[] committed = cur == Tid.ZERO ? null : hp.stateAt(c, oid, cur);
                byte[] merged = s.registry().tryResolve(oid, undone, committed, target);
                if (merged == null) {
                    throw new UndoException(
                            "storage '" + storageName + "': cannot undo transaction " + Tid.describe(tid)
                                    + ": oid 0x" + Long.toHexString(oid) + " was changed since by transaction "
                                    + Tid.describe(cur)
                                    + " and the changes cannot be merged; undo that later transaction first");
                }
                put(new PendingWrite(oid, cur, merged, Tid.ZERO));
            }
            return oids;
        } catch (SQLException e) {
            throw PgErrors.translate(storageName, "preparing undo of " + Tid.describe(tid), e);
        } catch (StorageException e) {
            throw e;
        }
    }
}
