package org.cairndb.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import org.cairndb.storage.StorageMisuseException;

/**
 * The oid allocator: oids come from a PostgreSQL sequence in blocks of {@value #BLOCK}, so a
 * process asks the database once per block rather than once per object. Sequence value b
 * stands for oids {@code (b-1)*BLOCK .. b*BLOCK-1}; nextval never repeats across processes
 * (and is not rolled back), so neither do oids. Oid 0 (the root) is skipped.
 *
 * <h2>Oids stored directly</h2>
 * Restores, imports, copies and callers that store under an oid of their own choosing write
 * oids this allocator did not hand out. The sequence is the persistent high-water mark:
 * every oid below {@code value*BLOCK} is either reserved by some process or used. So:
 * <ul>
 * <li>A direct store of an oid at or above the mark moves the sequence past it
 *     ({@link #claim}, {@link #bumpPast}: {@code setval(greatest(nextval, target))}, which
 *     never goes back) inside the writing database transaction, before its COMMIT. Every
 *     block fetched after that commit, by any process, starts above the oid.</li>
 * <li>A direct store below the mark may land in a block another process fetched and has
 *     not handed out yet. Such a store commits after the block was fetched, so its tid is
 *     above the last tid read just before the fetch ({@code seenUpTo}). The allocator skips
 *     every oid the log shows committed since then: each view's sync reads exactly the log
 *     rows after its tid ({@link #noteSynced}), and a view opened later first reads the gap
 *     between {@code seenUpTo} and its snapshot ({@link #catchUp}, only while oids are held).
 *     The object layer syncs at each transaction start, so only a store committed between
 *     that sync and the vote can still meet an oid handed out just before; then the vote
 *     finds the row taken and reports a conflict on that oid (never a silent overwrite), and
 *     the retry, after its sync, gets another oid. A caller of the SPI that never opens a
 *     view learns of it the same way, at vote.</li>
 * </ul>
 * Alternatives rejected: a round trip per oid (the point of blocks is to avoid it); refusing
 * direct stores inside reserved blocks (restores and copies must keep their oids).
 *
 * <p>Concurrency: one monitor per storage; the database round trip for a new block happens
 * under it, which is fine since it is rare (one per {@value #BLOCK} oids).
 */
final class PgOidAllocator {
    static final int BLOCK = 100;

    private final PgConnections cx;
    private final Sql sql;
    private final String sequence;
    private long next; // next oid to hand out in the current block
    private long blockEnd; // exclusive
    /** Blocks fetched but not yet used (a large request fetches several in one round trip). */
    private final ArrayDeque<Long> pending = new ArrayDeque<>();
    /** The end (exclusive) of the highest block this allocator has fetched or moved the sequence past. */
    private long highestFetched;
    /** Every commit up to this tid has been noted: a direct store into a held block has a greater tid. */
    private long seenUpTo;

    /** The storage's safe last tid (PgHorizon): every commit up to it is visible. */
    private final java.util.function.LongSupplier lastTid;

    PgOidAllocator(PgConnections cx, Sql sql, java.util.function.LongSupplier lastTid) {
        this.cx = cx;
        this.lastTid = lastTid;
        this.sql = sql;
        this.sequence = sql.schema() + ".oid_block_seq";
    }

    synchronized long[] newOids(int count) {
        if (count < 0)
            throw new StorageMisuseException(
                    "storage '" + cx.config().name() + "': newOids(" + count + "): count must be >= 0");
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

    private void fetchBlocks(int blocks) {
        // The safe last tid BEFORE nextval (PgHorizon: every transaction up to it that commits
        // has committed): whoever stores into the new blocks commits after nextval, so it is not
        // among those, and its tid is greater. (max(tid) would not do: tids commit out of order.)
        seenUpTo = lastTid.getAsLong(); // nothing else is held: next >= blockEnd, pending empty
        try (Connection c = cx.get();
                PreparedStatement ps = c.prepareStatement(sql.get("new_oid_blocks"))) {
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

    /**
     * At vote, inside the writing database transaction (connection {@code c}, before its
     * COMMIT): oids written that this allocator did not hand out are never handed out later,
     * here or (if beyond every block fetched so far) by any process.
     */
    void claim(Connection c, long[] written) throws SQLException {
        long beyond = noteSeen(written);
        if (beyond >= 0) bumpPast(c, beyond);
    }

    /**
     * Oids committed by someone (read from the log at sync, or written here): those in the
     * part of a block this allocator has not handed out yet are skipped (with the rest of
     * the block below them: a direct store is rare, wasting a few oids is harmless).
     *
     * @return the greatest oid at or beyond every block fetched here, or -1
     */
    synchronized long noteSeen(long[] oids) {
        long beyond = -1;
        for (long o : oids) {
            if (o >= next && o < blockEnd) next = o + 1;
            if (!pending.isEmpty()) pending.removeIf(b -> (b - 1) * BLOCK <= o && o < b * BLOCK);
            if (o >= highestFetched) beyond = Math.max(beyond, o);
        }
        return beyond;
    }

    private boolean holding() {
        return next < blockEnd || !pending.isEmpty();
    }

    /** A view's sync read the log rows in ({@code from}, {@code to}]: their oids are noted. */
    synchronized void noteSynced(long from, long to, long[] oids) {
        noteSeen(oids);
        if (from <= seenUpTo) seenUpTo = Math.max(seenUpTo, to);
    }

    /**
     * A view opened at {@code viewTid} on connection {@code c} (its snapshot): if commits
     * between the last one noted and it were never read, read their oids now. One query, and
     * only while this allocator holds oids not yet handed out.
     */
    synchronized void catchUp(Connection c, long viewTid) throws SQLException {
        if (!holding() || viewTid <= seenUpTo) return;
        try (PreparedStatement ps = c.prepareStatement(sql.get("poll"))) {
            Sql.bindCycling(ps, sql.get("poll"), seenUpTo);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getLong(1) > viewTid) break;
                    noteSeen(PostgresStorage.toLongs(rs.getArray(2)));
                }
            }
        }
        seenUpTo = viewTid;
    }

    /** Moves the sequence past {@code maxOid} (in the caller's transaction, before its COMMIT). */
    void bumpPast(Connection c, long maxOid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.get("bump_oid_blocks"))) {
            ps.setString(1, sequence);
            ps.setString(2, sequence);
            ps.setLong(3, maxOid / BLOCK + 2);
            ps.execute();
        }
        synchronized (this) {
            if (next <= maxOid) {
                next = 0;
                blockEnd = 0;
                pending.clear();
            }
            highestFetched = Math.max(highestFetched, (maxOid / BLOCK + 2) * BLOCK);
        }
    }
}
