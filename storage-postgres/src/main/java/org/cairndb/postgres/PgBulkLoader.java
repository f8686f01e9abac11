package org.cairndb.postgres;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cairndb.storage.Revision;
import org.cairndb.storage.StorageMisuseException;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionRecord;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Restore of many transactions at once through COPY in PostgreSQL's binary format: the
 * import path of the migrate tool. One batch is one database transaction holding the tid
 * allocation lock until its COMMIT (no tid is chosen meanwhile) and an in-flight marker on
 * its last tid, so it is all or nothing and readers see it at a safe horizon like any commit
 * ({@link PgHorizon}).
 *
 * <p>History-preserving: transaction rows and revisions are copied straight into their
 * tables, then current_object is updated once per oid. History-free: only the last revision
 * of each oid in the batch matters; those are copied into a temporary table and merged into
 * object_state with one INSERT ... ON CONFLICT.
 *
 * <h2>Binary COPY, briefly</h2>
 * Header {@code PGCOPY\n\377\r\n\0}, int32 flags 0, int32 extension length 0; per row an
 * int16 field count and per field an int32 length (-1 for NULL) and the value in network
 * order (bigint: 8 bytes; bytea: raw; bigint[]: ndim, has-null, element type 20, length,
 * lower bound 1, then length+value per element); trailer int16 -1.
 */
final class PgBulkLoader {
    private static final byte[] HEADER = {
        'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0
    };
    private static final int FLUSH = 1 << 20;
    private final PostgresStorage s;

    PgBulkLoader(PostgresStorage s) {
        this.s = s;
    }

    void restore(List<TransactionRecord> batch) {
        if (batch.isEmpty()) return;
        s.requireWritable();
        Sql sql = s.layout().sql;
        String schema = sql.schema();
        long prevTid = Long.MIN_VALUE;
        for (TransactionRecord t : batch) {
            if (t.tid() <= prevTid) {
                throw new StorageMisuseException("storage '" + s.name() + "': restore batch has tid "
                        + Tid.describe(t.tid()) + " after " + Tid.describe(prevTid) + " (expected: increasing tids)");
            }
            prevTid = t.tid();
        }
        try (Connection c = s.cx().get()) {
            c.setAutoCommit(false);
            try {
                long first = batch.get(0).tid();
                long last;
                // The allocation lock until COMMIT, the last tid's in-flight marker and the
                // high-water mark (cairn_restore_begin): readers treat the batch like any commit.
                try (java.sql.PreparedStatement ps =
                        c.prepareStatement("SELECT " + schema + ".cairn_restore_begin(?, ?, ?)")) {
                    ps.setLong(1, s.tidLockKey());
                    ps.setLong(2, first);
                    ps.setLong(3, batch.get(batch.size() - 1).tid());
                    try (java.sql.ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        last = rs.getLong(1);
                    }
                }
                if (first <= last) {
                    throw new StorageMisuseException(
                            "storage '" + s.name() + "': restore of transaction " + Tid.describe(first)
                                    + " refused: it is not greater than the last committed tid " + Tid.describe(last)
                                    + " (expected: increasing tids; restore into an empty storage or continue after its last tid)");
                }
                CopyIn txns = c.unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn(
                                "COPY " + schema
                                        + ".transaction_log (tid, packed, username, description, extension, oids) FROM STDIN (FORMAT binary)");
                Writer w = new Writer(txns);
                long maxOid = -1;
                for (TransactionRecord t : batch) {
                    long[] oids =
                            t.revisions().stream().mapToLong(Revision::oid).toArray();
                    for (long o : oids) maxOid = Math.max(maxOid, o);
                    w.row(6)
                            .i64(t.tid())
                            .bool(t.packed())
                            .bytes(t.metadata().user().getBytes(StandardCharsets.UTF_8))
                            .bytes(t.metadata().description().getBytes(StandardCharsets.UTF_8))
                            .bytes(t.metadata().extension())
                            .i64s(oids);
                }
                w.finish();
                if (s.layout().keepsHistory()) {
                    copyRevisions(
                            c,
                            "COPY " + schema
                                    + ".object_state (oid, tid, state, data_tid, refs) FROM STDIN (FORMAT binary)",
                            batch.stream().flatMap(t -> t.revisions().stream()).toList());
                    try (Statement st = c.createStatement()) {
                        st.execute("INSERT INTO " + schema
                                + ".current_object (oid, tid) SELECT DISTINCT ON (oid) oid, tid FROM "
                                + schema + ".object_state WHERE tid >= " + first + " AND tid <= " + prevTid
                                + " ORDER BY oid, tid DESC ON CONFLICT (oid) DO UPDATE SET tid = EXCLUDED.tid");
                    }
                } else {
                    Map<Long, Revision> lastOf = new LinkedHashMap<>();
                    for (TransactionRecord t : batch) for (Revision r : t.revisions()) lastOf.put(r.oid(), r);
                    try (Statement st = c.createStatement()) {
                        st.execute("CREATE TEMP TABLE IF NOT EXISTS cairn_restore (LIKE " + schema
                                + ".object_state) ON COMMIT DELETE ROWS");
                    }
                    copyRevisions(
                            c,
                            "COPY cairn_restore (oid, tid, state, data_tid, refs) FROM STDIN (FORMAT binary)",
                            lastOf.values());
                    try (Statement st = c.createStatement()) {
                        st.execute("INSERT INTO " + schema
                                + ".object_state (oid, tid, state, data_tid, refs) SELECT oid, tid, state, data_tid, refs"
                                + " FROM cairn_restore ON CONFLICT (oid) DO UPDATE SET tid = EXCLUDED.tid, state = EXCLUDED.state,"
                                + " data_tid = EXCLUDED.data_tid, refs = EXCLUDED.refs");
                    }
                }
                if (maxOid >= 0) s.oids().bumpPast(c, maxOid);
                s.notifyCommit(c, prevTid);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    /* broken connection: nothing was committed */
                }
                throw e;
            }
        } catch (SQLException e) {
            throw PgErrors.translate(
                    s.name(),
                    "restoring " + batch.size() + " transactions from "
                            + Tid.describe(batch.get(0).tid()),
                    e);
        }
        for (TransactionRecord t : batch) {
            s.afterCommit(
                    t.tid(), t.revisions().stream().mapToLong(Revision::oid).toArray());
        }
    }

    private static void copyRevisions(Connection c, String copySql, Iterable<Revision> revisions) throws SQLException {
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        Writer w = new Writer(in);
        for (Revision r : revisions) {
            w.row(5).i64(r.oid()).i64(r.tid()).bytes(r.data()).i64(r.dataTid()).i64s(PgLayout.refsOf(r.data()));
        }
        w.finish();
    }

    /** Writes binary COPY rows into a buffer and hands it to PostgreSQL every megabyte. */
    private static final class Writer {
        private final CopyIn in;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream(FLUSH + 65536);
        private final DataOutputStream out = new DataOutputStream(buf);

        Writer(CopyIn in) throws SQLException {
            this.in = in;
            buf.writeBytes(HEADER);
        }

        Writer row(int fields) throws SQLException {
            if (buf.size() >= FLUSH) flush();
            return io(() -> out.writeShort(fields));
        }

        Writer i64(long v) {
            return io(() -> {
                out.writeInt(8);
                out.writeLong(v);
            });
        }

        Writer bool(boolean v) {
            return io(() -> {
                out.writeInt(1);
                out.writeByte(v ? 1 : 0);
            });
        }

        Writer bytes(byte[] b) {
            return io(() -> {
                if (b == null) {
                    out.writeInt(-1);
                    return;
                }
                out.writeInt(b.length);
                out.write(b);
            });
        }

        Writer i64s(long[] a) {
            return io(() -> {
                if (a == null) {
                    out.writeInt(-1);
                    return;
                }
                if (a.length == 0) {
                    out.writeInt(12);
                    out.writeInt(0);
                    out.writeInt(0);
                    out.writeInt(20);
                    return;
                }
                out.writeInt(20 + a.length * 12);
                out.writeInt(1); // dimensions
                out.writeInt(0); // no nulls
                out.writeInt(20); // element type int8
                out.writeInt(a.length);
                out.writeInt(1); // lower bound
                for (long v : a) {
                    out.writeInt(8);
                    out.writeLong(v);
                }
            });
        }

        private void flush() throws SQLException {
            byte[] b = buf.toByteArray();
            in.writeToCopy(b, 0, b.length);
            buf.reset();
        }

        void finish() throws SQLException {
            io(() -> out.writeShort(-1));
            flush();
            in.endCopy();
        }

        private interface IoAction {
            void run() throws IOException;
        }

        private Writer io(IoAction a) {
            try {
                a.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
            }
            return this;
        }
    }
}
