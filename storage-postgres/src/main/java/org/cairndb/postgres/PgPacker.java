package org.cairndb.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cairndb.storage.PackProgress;
import org.cairndb.storage.PackResult;

/**
 * Pack, online and in batches, while writers go on.
 *
 * <h2>Phases</h2>
 * <ol>
 * <li>{@code revisions} (history-preserving only): per batch of oids, delete revisions older
 *     than the pack tid that a newer revision, also older than the pack tid, replaces; mark
 *     their transactions packed. Committed revisions are immutable, so this needs no lock.</li>
 * <li>{@code reach}: one recursive query computes, inside PostgreSQL, every oid reachable
 *     from the root (oid 0) and from foreign records through the refs recorded at store
 *     time (history-preserving: through every kept revision).</li>
 * <li>{@code collect}: per batch of unreachable oids, lock their rows FOR UPDATE in oid
 *     order (as writers do, so no deadlock) and delete them, but only objects whose current
 *     revision is older than the pack tid and than every commit after the pack began: an
 *     object written since is left for the next pack.</li>
 * </ol>
 * History-free, then the transaction log below the pack tid is pruned too ({@link PgLogPruner}).
 * Each batch is its own database transaction, so writers wait at most for one batch.
 *
 * <h2>What it cannot see</h2>
 * An object unreachable at the reach query can only be reached again by someone who still
 * holds its oid from an older snapshot and stores a reference to it; like ZODB's pack, this
 * one assumes nobody resurrects garbage that way.
 */
final class PgPacker {
    static final int BATCH = 1000;
    private final PostgresStorage s;

    PgPacker(PostgresStorage s) {
        this.s = s;
    }

    PackResult pack(long beforeTid, PackProgress progress) {
        PgLayout layout = s.layout();
        Sql sql = layout.sql;
        long removedRevisions = 0;
        try {
            if (layout.keepsHistory()) removedRevisions = dropOldRevisions(sql, beforeTid, progress);
            // Objects whose current revision is at or after the pack tid stay (written since);
            // and so does anything committed after this pack began, whatever tid it asked for.
            long cutoff = Math.min(beforeTid, s.lastTid() + 1);
            List<Long> garbage = new ArrayList<>();
            long reachable;
            try (Connection c = s.cx().get()) {
                c.setAutoCommit(false);
                progress.progress("reach", 0, -1);
                try (PreparedStatement ps = c.prepareStatement(sql.get("gc_reach"))) {
                    ps.execute();
                }
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT count(*) FROM cairn_reach")) {
                    rs.next();
                    reachable = rs.getLong(1);
                }
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE INDEX ON cairn_reach (oid)");
                }
                progress.progress("reach", reachable, reachable);
                try (PreparedStatement ps = c.prepareStatement(sql.get("gc_garbage"))) {
                    ps.setLong(1, cutoff);
                    ps.setFetchSize(10_000);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) garbage.add(rs.getLong(1));
                    }
                }
                c.commit();
            }
            long removedObjects = 0;
            for (int i = 0; i < garbage.size(); i += BATCH) {
                long[] batch = garbage.subList(i, Math.min(garbage.size(), i + BATCH)).stream()
                        .mapToLong(Long::longValue)
                        .toArray();
                removedObjects += collect(sql, batch, cutoff, layout.keepsHistory());
                progress.progress("collect", Math.min(garbage.size(), i + BATCH), garbage.size());
            }
            // History-free: the log rows of transactions before the pack tid describe nothing kept.
            if (!layout.keepsHistory()) s.pruner().prune(cutoff, progress);
            long kept;
            try (Connection c = s.cx().get()) {
                kept = layout.count(c);
            }
            return new PackResult(removedRevisions, removedObjects, kept);
        } catch (SQLException e) {
            throw PgErrors.translate(s.name(), "packing before " + org.cairndb.storage.Tid.describe(beforeTid), e);
        }
    }

    private long dropOldRevisions(Sql sql, long beforeTid, PackProgress progress) throws SQLException {
        long removed = 0;
        long after = Long.MIN_VALUE;
        long done = 0;
        long total;
        try (Connection c = s.cx().get()) {
            total = s.layout().count(c);
        }
        while (true) {
            try (Connection c = s.cx().get()) {
                c.setAutoCommit(false);
                long[] oids;
                try (PreparedStatement ps = c.prepareStatement(sql.get("pack_oid_batch"))) {
                    ps.setLong(1, after);
                    ps.setInt(2, BATCH);
                    List<Long> l = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) l.add(rs.getLong(1));
                    }
                    oids = l.stream().mapToLong(Long::longValue).toArray();
                }
                if (oids.length == 0) {
                    c.commit();
                    return removed;
                }
                List<Long> tids = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(sql.get("pack_revisions"))) {
                    ps.setObject(1, oids);
                    ps.setLong(2, beforeTid);
                    ps.setLong(3, beforeTid);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) tids.add(rs.getLong(1));
                    }
                }
                if (!tids.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement(sql.get("mark_packed"))) {
                        ps.setObject(
                                1,
                                tids.stream()
                                        .distinct()
                                        .mapToLong(Long::longValue)
                                        .toArray());
                        ps.executeUpdate();
                    }
                }
                c.commit();
                removed += tids.size();
                after = oids[oids.length - 1];
                done += oids.length;
                progress.progress("revisions", done, Math.max(total, done));
            }
        }
    }

    private long collect(Sql sql, long[] batch, long cutoff, boolean history) throws SQLException {
        Arrays.sort(batch);
        try (Connection c = s.cx().get()) {
            c.setAutoCommit(false);
            long[] locked;
            try (PreparedStatement ps = c.prepareStatement(sql.get("gc_lock"))) {
                ps.setObject(1, batch);
                ps.setLong(2, cutoff);
                List<Long> l = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) l.add(rs.getLong(1));
                }
                locked = l.stream().mapToLong(Long::longValue).toArray();
            }
            if (history) {
                try (PreparedStatement ps = c.prepareStatement(sql.get("gc_delete_revisions"))) {
                    ps.setObject(1, locked);
                    ps.executeUpdate();
                }
            }
            int n;
            try (PreparedStatement ps = c.prepareStatement(sql.get("gc_delete"))) {
                ps.setObject(1, locked);
                n = ps.executeUpdate();
            }
            c.commit();
            return n;
        }
    }
}
