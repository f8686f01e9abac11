package org.cairndb.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.Tid;

/**
 * The object mover of one layout: how revisions are written, and how current and older ones
 * are read. History-free and history-preserving are subclasses, not a flag tested here and
 * there (RelStorage's lesson): each one's SQL sits in its own resource file.
 */
abstract class PgLayout {
    /** A revision to write: state null for no data; refs null for a foreign record or no data. */
    record Row(long oid, byte[] state, long dataTid, long[] refs) {
        static Row of(long oid, byte[] state, long dataTid) {
            return new Row(oid, state, dataTid, refsOf(state));
        }
    }

    final Sql sql;
    final String name;

    PgLayout(String schema, String file, String name) {
        this.sql = new Sql(schema, file);
        this.name = name;
    }

    abstract boolean keepsHistory();

    /** Writes revisions of transaction {@code tid} (oids unique within {@code rows}). */
    abstract void write(Connection c, long tid, List<Row> rows) throws SQLException;

    /** The newest revision with tid &lt; {@code beforeTid}. */
    abstract Loaded loadBefore(Connection c, long oid, long beforeTid) throws SQLException;

    /** The data of {@code oid} at exactly {@code tid}, or null if not kept / no data. */
    byte[] stateAt(Connection c, long oid, long tid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.get("load_serial"))) {
            ps.setLong(1, oid);
            ps.setLong(2, tid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    /** The current revision; PosKeyException if there is none or it holds no data. */
    Loaded loadCurrent(Connection c, long oid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.get("load_current"))) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next())
                    throw new PosKeyException(oid, "never stored in storage '" + name + "' (or removed by pack)");
                long tid = rs.getLong(1);
                byte[] data = rs.getBytes(2);
                if (data == null) {
                    throw new PosKeyException(
                            oid, "deleted in storage '" + name + "' by transaction " + Tid.describe(tid));
                }
                return new Loaded(oid, tid, data, Tid.ZERO);
            }
        }
    }

    long count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.get("object_count"));
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The oids a record references, or null for a foreign (or unreadable) record and for no data. */
    static long[] refsOf(byte[] data) {
        if (data == null || !RecordHeader.isCairnRecord(data)) return null;
        try {
            return RecordHeader.referencesOf(data);
        } catch (RuntimeException corrupt) {
            return null; // unreadable header: keep it as a root rather than lose what it references
        }
    }

    static void bindRow(Connection c, PreparedStatement ps, long tid, Row r) throws SQLException {
        ps.setLong(1, r.oid());
        ps.setLong(2, tid);
        ps.setBytes(3, r.state());
        ps.setLong(4, r.dataTid());
        if (r.refs() == null) ps.setNull(5, java.sql.Types.ARRAY);
        else ps.setObject(5, r.refs());
    }
}
