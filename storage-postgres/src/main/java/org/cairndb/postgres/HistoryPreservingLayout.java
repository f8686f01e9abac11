package org.cairndb.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.Tid;

/** Every revision kept in object_state; current_object names the current one and is what writers lock. */
final class HistoryPreservingLayout extends PgLayout {

    HistoryPreservingLayout(String schema, String name) {
        super(schema, "statements-history-preserving.sql", name);
    }

    @Override
    boolean keepsHistory() {
        return true;
    }

    @Override
    void write(Connection c, long tid, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement(sql.get("write"))) {
            for (Row r : rows) {
                bindRow(c, ps, tid, r);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(sql.get("set_current"))) {
            for (Row r : rows) {
                ps.setLong(1, r.oid());
                ps.setLong(2, tid);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    Loaded loadBefore(Connection c, long oid, long beforeTid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.get("load_before"))) {
            ps.setLong(1, oid);
            ps.setLong(2, beforeTid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new PosKeyException(
                            oid, "no revision before " + Tid.describe(beforeTid) + " in storage '" + name + "'");
                }
                long tid = rs.getLong(1);
                byte[] data = rs.getBytes(2);
                long next = rs.getLong(3);
                if (data == null) {
                    throw new PosKeyException(
                            oid,
                            "had no data before " + Tid.describe(beforeTid) + " in storage '" + name + "' (deleted by "
                                    + Tid.describe(tid) + ")");
                }
                return new Loaded(oid, tid, data, rs.wasNull() ? Tid.ZERO : next);
            }
        }
    }

    /** The revision before {@code tid}: [tid, dataTid] and its state, or null if none. */
    record Before(long tid, byte[] state, long dataTid) {}

    Before revisionBefore(Connection c, long oid, long tid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.get("load_before_revision"))) {
            ps.setLong(1, oid);
            ps.setLong(2, tid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Before(rs.getLong(1), rs.getBytes(2), rs.getLong(3)) : null;
            }
        }
    }

    long currentTid(Connection c, long oid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.get("current_tid"))) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : Tid.ZERO;
            }
        }
    }
}
