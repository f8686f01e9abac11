package org.cairndb.mapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.cairndb.storage.StorageException;

/**
 * The write-ahead record that makes a persisted {@code mem:} commit all-or-nothing across a
 * crash of the process.
 *
 * <h2>Protocol</h2>
 * Finish writes the whole transaction (every oid and its new off-heap value, plus the tid and
 * the oid counter) into one of two slot files, under the commit lock and before it changes the
 * map; the force to disk comes after the lock, shared by the commits that finished together
 * ({@link GroupSync}), and the commit is published and acknowledged only after it. Slots are
 * written in commit order and each transaction's map changes are complete before the next
 * slot is written, so the newest slot is always the only transaction that may be partly in the
 * map (a process crash keeps written bytes; only the force's timing changed). On open, the valid slot with the higher sequence number is applied again: if the
 * crash came while the map was being changed, this completes the transaction; if it came
 * after, re-applying the same values changes nothing. A crash while the slot itself was
 * being written leaves a slot whose checksum fails; it is ignored, and the other slot (the
 * previous transaction, already wholly in the map) is re-applied harmlessly. So after a
 * reopen the map holds each transaction wholly or not at all, and every transaction whose
 * finish returned. Before redoing, {@link JournalCheck} checks the slots against the map, so
 * that a damaged slot or a map restored from another time is refused or left alone, never
 * "completed" into wrong data.
 *
 * <h2>Alternatives rejected</h2>
 * One slot overwritten in place: a torn write would destroy the only record of the last tid.
 * An ever-growing log: {@code mem:} keeps no history, so the file would grow without use.
 * Chronicle Map's own atomicity is per entry, not per transaction.
 *
 * <pre>
 *  slot file: magic "CJNL" | format 1 | length of this record (4) | seq (8) | tid (8) | next oid (8) | objects (8) | next chunk key (8) | count (4)
 *             | count x (kind (1: 0 record, 1 chunk) | key (8) | length (4) | value) | CRC32C of the record before it (4)
 *             (stale bytes of a longer earlier record may follow: the file never shrinks)
 * </pre>
 */
final class CommitJournal implements AutoCloseable {
    private static final int MAGIC = 0x434A4E4C; // "CJNL"
    private static final int FORMAT = 1;

    /** A map entry: an oid and its value, or (chunk) a chunk key and a chunk of a spilled record. */
    record Entry(long key, byte[] value, boolean chunk) {
        Entry(long oid, byte[] value) {
            this(oid, value, false);
        }

        long oid() {
            return key;
        }
    }

    record Slot(long seq, long tid, long nextOid, long liveObjects, long nextChunkKey, List<Entry> entries) {}

    private final Path[] paths;
    private final FileChannel[] channels;
    private final Slot recovered;
    private final Slot previous;
    private final boolean gap;
    /** The last slot written (by {@link #append}, under the commit lock). */
    private volatile long seq;
    /** The last slot known forced to disk (by {@link #force}, one caller at a time). */
    private long forced;
    /** Forces done (diagnostic: with group commit, fewer than commits when committers overlap). */
    private long forces;

    private CommitJournal(Path[] paths, FileChannel[] channels, Slot recovered, Slot previous, boolean gap) {
        this.paths = paths;
        this.channels = channels;
        this.recovered = recovered;
        this.previous = previous;
        this.gap = gap;
        this.seq = recovered == null ? 0 : recovered.seq();
        this.forced = seq;
    }

    static CommitJournal open(Path base) {
        Path[] paths = {Path.of(base + ".journal-a"), Path.of(base + ".journal-b")};
        FileChannel[] channels = new FileChannel[2];
        Slot[] slots = new Slot[2];
        boolean unreadable = false;
        try {
            for (int i = 0; i < 2; i++) {
                channels[i] = FileChannel.open(
                        paths[i], StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                slots[i] = read(channels[i]);
                if (slots[i] == null && channels[i].size() > 0) unreadable = true;
            }
        } catch (IOException e) {
            for (FileChannel c : channels) closeQuietly(c);
            throw new StorageException(
                    "mem: cannot open the commit journal " + paths[0] + " / " + paths[1] + ": " + e, e);
        }
        Slot best =
                slots[0] == null ? slots[1] : slots[1] == null || slots[0].seq() > slots[1].seq() ? slots[0] : slots[1];
        Slot other = best == slots[0] ? slots[1] : slots[0];
        // Slot n is written to file n & 1, so after a second commit both files hold a slot,
        // one sequence number apart. Anything else means a slot was lost or damaged (or is a
        // torn write): the caller then checks the newest readable slot against the map.
        boolean gap =
                unreadable || (best != null && best.seq() >= 2 && (other == null || other.seq() != best.seq() - 1));
        return new CommitJournal(
                paths,
                channels,
                best,
                other != null && best != null && other.seq() == best.seq() - 1 ? other : null,
                gap);
    }

    /** The last complete transaction written before the storage was last closed (or crashed), or null. */
    Slot recovered() {
        return recovered;
    }

    /** The transaction written just before {@link #recovered()} (sequence number one lower), or null. */
    Slot previous() {
        return previous;
    }

    /** True if a slot file is unreadable or missing where a slot should be: the newest transaction may be lost. */
    boolean hasGap() {
        return gap;
    }

    /** "file.cairn.journal-a / -b", for messages. */
    String describe() {
        return paths[0] + " / " + paths[1].getFileName();
    }

    /** Writes and forces the transaction; returns when it is on disk. */
    void write(long tid, long nextOid, long liveObjects, long nextChunkKey, List<Entry> entries) {
        append(tid, nextOid, liveObjects, nextChunkKey, entries);
        force();
    }

    /**
     * Writes the transaction into its slot without forcing it; {@link #force} (by whichever
     * committer leads the next group sync) makes it durable. Caller holds the commit lock, so
     * slots are written one at a time and in order.
     */
    void append(long tid, long nextOid, long liveObjects, long nextChunkKey, List<Entry> entries) {
        long s = seq + 1;
        int len = 4 + 4 + 4 + 8 + 8 + 8 + 8 + 8 + 4;
        for (Entry e : entries) len += 13 + e.value().length;
        ByteBuffer b = ByteBuffer.allocate(len + 4);
        b.putInt(MAGIC)
                .putInt(FORMAT)
                .putInt(len + 4)
                .putLong(s)
                .putLong(tid)
                .putLong(nextOid)
                .putLong(liveObjects)
                .putLong(nextChunkKey)
                .putInt(entries.size());
        for (Entry e : entries)
            b.put((byte) (e.chunk() ? 1 : 0))
                    .putLong(e.key())
                    .putInt(e.value().length)
                    .put(e.value());
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, len);
        b.putInt((int) crc.getValue());
        b.flip();
        FileChannel c = channels[(int) (s & 1)];
        try {
            long pos = 0;
            // No truncate: the record says its own length, and a file whose size never
            // shrinks lets force() skip the file-size metadata on most commits.
            while (b.hasRemaining()) pos += c.write(b, pos);
        } catch (IOException e) {
            throw new StorageException(
                    "mem: writing the commit journal " + paths[(int) (s & 1)] + " failed: " + e
                            + "; the transaction was not committed",
                    e);
        }
        seq = s; // volatile: a force that reads it finds the slot's bytes written
    }

    /**
     * Forces every slot written so far that no earlier force covered: the file of the last
     * slot, and the other file too when more than one slot was written since. Called by one
     * thread at a time (the group sync's leader), concurrently with {@link #append}: a slot
     * appended while this runs may or may not be covered, and is not counted as forced.
     */
    synchronized void force() {
        long target = seq;
        long from = forced;
        if (target == from) return;
        try {
            channels[(int) (target & 1)].force(false);
            if (target - from >= 2) channels[(int) ((target - 1) & 1)].force(false);
        } catch (IOException e) {
            throw new StorageException(
                    "mem: forcing the commit journal " + describe() + " to disk failed: " + e
                            + "; the transactions waiting for it were not acknowledged: close and reopen the storage,"
                            + " which keeps each of them wholly or not at all",
                    e);
        }
        forced = target;
        forces++;
    }

    /** Forces done since open (diagnostic). */
    synchronized long forces() {
        return forces;
    }

    private static Slot read(FileChannel c) throws IOException {
        long size = c.size();
        if (size < 40 || size > Integer.MAX_VALUE) return null;
        ByteBuffer b = ByteBuffer.allocate((int) size);
        long pos = 0;
        while (b.hasRemaining()) {
            int n = c.read(b, pos);
            if (n < 0) return null;
            pos += n;
        }
        b.flip();
        if (b.getInt() != MAGIC || b.getInt() != FORMAT) return null;
        int len = b.getInt();
        if (len < 48 || len > size) return null; // torn write: ignored
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, len - 4);
        if ((int) crc.getValue() != b.getInt(len - 4)) return null; // torn write: ignored
        long seq = b.getLong();
        long tid = b.getLong();
        long nextOid = b.getLong();
        long live = b.getLong();
        long nextChunk = b.getLong();
        int count = b.getInt();
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean chunk = b.get() == 1;
            long key = b.getLong();
            byte[] v = new byte[b.getInt()];
            b.get(v);
            entries.add(new Entry(key, v, chunk));
        }
        return new Slot(seq, tid, nextOid, live, nextChunk, entries);
    }

    /** The journal's files. */
    List<Path> paths() {
        return List.of(paths);
    }

    long sizeInBytes() {
        long total = 0;
        for (Path p : paths) {
            try {
                total += Files.size(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return total;
    }

    @Override
    public void close() {
        for (FileChannel c : channels) closeQuietly(c);
    }

    private static void closeQuietly(FileChannel c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException ignored) {
            // closing after use: nothing left to save
        }
    }
}
