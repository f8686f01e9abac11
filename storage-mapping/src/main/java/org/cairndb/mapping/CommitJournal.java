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
 * the oid counter) into one of two slot files, forces it to disk, and only then changes the
 * map. On open, the valid slot with the higher sequence number is applied again: if the
 * crash came while the map was being changed, this completes the transaction; if it came
 * after, re-applying the same values changes nothing. A crash while the slot itself was
 * being written leaves a slot whose checksum fails; it is ignored, and the other slot (the
 * previous transaction, already wholly in the map) is re-applied harmlessly. So after a
 * reopen the map holds each transaction wholly or not at all, and every transaction whose
 * finish returned.
 *
 * <h2>Alternatives rejected</h2>
 * One slot overwritten in place: a torn write would destroy the only record of the last tid.
 * An ever-growing log: {@code mem:} keeps no history, so the file would grow without use.
 * Chronicle Map's own atomicity is per entry, not per transaction.
 *
 * <pre>
 *  slot file: magic "CJNL" | format 1 | seq (8) | tid (8) | next oid (8) | objects (8) | count (4)
 *             | count x (oid (8) | length (4) | value) | CRC32C of everything before (4)
 * </pre>
 */
final class CommitJournal implements AutoCloseable {
    private static final int MAGIC = 0x434A4E4C; // "CJNL"
    private static final int FORMAT = 1;

    record Entry(long oid, byte[] value) {}

    record Slot(long seq, long tid, long nextOid, long liveObjects, List<Entry> entries) {}

    private final Path[] paths;
    private final FileChannel[] channels;
    private final Slot recovered;
    private long seq;

    private CommitJournal(Path[] paths, FileChannel[] channels, Slot recovered) {
        this.paths = paths;
        this.channels = channels;
        this.recovered = recovered;
        this.seq = recovered == null ? 0 : recovered.seq();
    }

    static CommitJournal open(Path base) {
        Path[] paths = {Path.of(base + ".journal-a"), Path.of(base + ".journal-b")};
        FileChannel[] channels = new FileChannel[2];
        Slot best = null;
        try {
            for (int i = 0; i < 2; i++) {
                channels[i] = FileChannel.open(paths[i], StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                Slot s = read(channels[i]);
                if (s != null && (best == null || s.seq() > best.seq())) best = s;
            }
        } catch (IOException e) {
            for (FileChannel c : channels) closeQuietly(c);
            throw new StorageException("mem: cannot open the commit journal " + paths[0] + " / " + paths[1] + ": " + e, e);
        }
        return new CommitJournal(paths, channels, best);
    }

    /** The last complete transaction written before the storage was last closed (or crashed), or null. */
    Slot recovered() {
        return recovered;
    }

    /** Writes and forces the transaction; returns when it is on disk. */
    void write(long tid, long nextOid, long liveObjects, List<Entry> entries) {
        long s = seq + 1;
        int len = 4 + 4 + 8 + 8 + 8 + 8 + 4;
        for (Entry e : entries) len += 12 + e.value().length;
        ByteBuffer b = ByteBuffer.allocate(len + 4);
        b.putInt(MAGIC).putInt(FORMAT).putLong(s).putLong(tid).putLong(nextOid).putLong(liveObjects).putInt(entries.size());
        for (Entry e : entries) b.putLong(e.oid()).putInt(e.value().length).put(e.value());
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, len);
        b.putInt((int) crc.getValue());
        b.flip();
        FileChannel c = channels[(int) (s & 1)];
        try {
            long pos = 0;
            while (b.hasRemaining()) pos += c.write(b, pos);
            c.truncate(pos);
            c.force(false);
        } catch (IOException e) {
            throw new StorageException("mem: writing the commit journal " + paths[(int) (s & 1)] + " failed: " + e
                    + "; the transaction was not committed", e);
        }
        seq = s;
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
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, (int) size - 4);
        if ((int) crc.getValue() != b.getInt((int) size - 4)) return null; // torn write: ignored
        long seq = b.getLong();
        long tid = b.getLong();
        long nextOid = b.getLong();
        long live = b.getLong();
        int count = b.getInt();
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long oid = b.getLong();
            byte[] v = new byte[b.getInt()];
            b.get(v);
            entries.add(new Entry(oid, v));
        }
        return new Slot(seq, tid, nextOid, live, entries);
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
