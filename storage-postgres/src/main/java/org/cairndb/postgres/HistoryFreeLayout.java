package org.cairndb.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.ReadConflictException;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.Tid;

/** One row per object: its current revision, overwritten by each commit. */
final class HistoryFreeLayout extends PgLayout {

    HistoryFreeLayout(String schema, String name) {
        super(schema, "statements-history-free.sql", name);
    }

    @Override
    boolean keepsHistory() {
        return false;
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
    }

    /**
     * Only the current revision is kept: it answers when it is older than {@code beforeTid};
     * otherwise the revision asked for is gone, which is a read conflict, never newer data.
     */
    @Override
    Loaded loadBefore(Connection c, long oid, long beforeTid) throws SQLException {
        Loaded cur = loadCurrent(c, oid);
        if (cur.tid() < beforeTid) return cur;
        throw new ReadConflictException(
                oid,
                safeClass(cur.data()),
                beforeTid,
                cur.tid(),
                "storage '" + name + "' is history-free and no longer has the revision before "
                        + Tid.describe(beforeTid));
    }

    private static String safeClass(byte[] data) {
        try {
            return RecordHeader.classNameOf(data);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
