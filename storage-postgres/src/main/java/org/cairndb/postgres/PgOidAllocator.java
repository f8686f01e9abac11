package org.cairndb.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.cairndb.storage.StorageMisuseException;

/**
 * The oid allocator: oids come from a PostgreSQL sequence in blocks of {@value #BLOCK}, so a
 * process asks the database once per block rather than once per object. Sequence value b
 * stands for oids {@code (b-1)*BLOCK .. b*BLOCK-1}; nextval never repeats across processes
 * (and is not rolled back), so neither do oids. Oid 0 (the root) is skipped.
 *
 * <p>Concurrency: one monitor per storage; the database round trip for a new block happens
 * under it, which is fine since it is rare (one per {@value #BLOCK} oids).
 */
final class PgOidAllocator {
    static final int BLOCK = 100;

    private final PgConnections cx;
    private final Sql sql;
    private final String sequence;
    private long next;     // next oid to hand out in the current block
    private long blockEnd; // exclusive

    PgOidAllocator(PgConnections cx, Sql sql) {
        this.cx = cx;
        this.sql = sql;
        this.sequence = sql.schema() + ".oid_block_seq";
    }

    synchronized long[] newOids(int count) {
        if (count < 0) throw new StorageMisuseException("storage '" + cx.config().name() + "': newOids(" + count + "): count must be >= 0");
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            if (next >= blockEnd) {
                if (pending.isEmpty()) fetchBlocks((count - i + BLOCK - 1) / BLOCK);
                long b = pending.removeFirst();
                next = (b - 1) * BLOCK;
                blockEnd = next + BLOCK;
                if (next == 0) next = 1; // oid 0 is the root, never handed out
            }
            out[i] = next++;
        }
        return out;
    }

    /** Blocks fetched but not yet used (a large request fetches several in one round trip). */
    private final java.util.ArrayDeque<Long> pending = new java.util.ArrayDeque<>();

    private void fetchBlocks(int blocks) {
        try (Connection c = cx.get(); PreparedStatement ps = c.prepareStatement(sql.get("new_oid_blocks"))) {
            ps.setString(1, sequence);
            ps.setInt(2, blocks);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long b = rs.getLong(1);
                    pending.addLast(b);
                    highestFetched = Math.max(highestFetched, b * BLOCK);
                }
            }
        } catch (SQLException e) {
            throw PgErrors.translate(cx.config().name(), "allocating oids", e);
        }
    }

    /** The end (exclusive) of the highest block this allocator has fetched. */
    private long highestFetched;

    /**
     * After a commit: oids written that this allocator did not hand out (a caller stored
     * under an oid of its own choosing) must never be handed out later. One in the current
     * block moves the cursor past it; one beyond every block fetched moves the sequence.
     */
    void noteWritten(long[] written) {
        long max = -1;
        synchronized (this) {
            for (long o : written) {
                if (o < next) continue;
                if (o < blockEnd) next = o + 1;
                pending.removeIf(b -> (b - 1) * BLOCK <= o);
                if (o >= highestFetched) max = Math.max(max, o);
            }
        }
        if (max < 0) return;
        try (Connection c = cx.get()) {
            bumpPast(c, max);
        } catch (SQLException e) {
            throw PgErrors.translate(cx.config().name(), "moving the oid sequence past oid " + max, e);
        }
    }

    /** Moves the sequence past {@code maxOid}, after a restore wrote oids it did not hand out. */
    void bumpPast(Connection c, long maxOid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.get("bump_oid_blocks"))) {
            ps.setString(1, sequence);
            ps.setString(2, sequence);
            ps.setLong(3, maxOid / BLOCK + 2);
            ps.execute();
        }
        synchronized (this) {
            if (next <= maxOid) { next = 0; blockEnd = 0; pending.clear(); }
            highestFetched = Math.max(highestFetched, (maxOid / BLOCK + 2) * BLOCK);
        }
    }
}
