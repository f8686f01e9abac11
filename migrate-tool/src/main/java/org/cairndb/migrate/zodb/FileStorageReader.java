package org.cairndb.migrate.zodb;

import static org.cairndb.migrate.zodb.FileStorageFormat.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.CorruptDataException;
import org.cairndb.storage.Oid;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;

/**
 * Reads a ZODB FileStorage file ({@code Data.fs}, FS30 or FS21) as a stream of
 * {@link TransactionRecord}s in file order, keeping every byte that matters: tid, status
 * ({@code 'p'} becomes {@link TransactionRecord#packed()}), user, description, extension,
 * and each data record's oid and pickle bytes. A backpointer record (undo, pack) becomes a
 * {@link Revision} whose {@code dataTid} is the tid of the record pointed to and whose data
 * is the data found by following the pointers; a backpointer of 0 is a revision without data.
 *
 * <h2>Checking</h2>
 * Every field that has a rule is checked before the transaction is handed out, so a consumer
 * never sees part of a broken transaction: increasing tids, status, lengths inside the file,
 * the redundant trailing length, each data record's tid, transaction offset, version length,
 * prev pointer (it must name the oid's previous record, as an index rebuilt by a forward
 * scan would) and backpointers (earlier in the file, same oid). A violation is a
 * {@link CorruptDataException} naming the file, the byte offset, what was expected and
 * what was found. A trailing checkpoint transaction (status {@code 'c'}: voted, never
 * finished) is dropped, as ZODB truncates it on open; {@link #droppedCheckpointAt()} says so.
 *
 * <h2>What ZODB reads with a warning</h2>
 * The rules are ZODB's own ({@code FileStorage.read_index}): where ZODB refuses or logs an
 * error, the reader refuses; where ZODB logs a warning and reads on, the reader reads on and
 * counts it in {@link #warnings()}. That case is a prev pointer of 0 on a record whose oid
 * has earlier records in the file: ZODB's packer writes prev = 0 on every record it keeps
 * before the pack time, and it keeps an older revision beside the current one when a later
 * undo's backpointer reaches it ({@code pack --days N} after undos). A non-zero prev that
 * names the wrong record stays an error.
 *
 * <h2>Memory</h2>
 * One transaction at a time plus the oid → offset index ({@link OidOffsetIndex}, 16 bytes
 * per slot), the same index ZODB itself keeps for the file.
 *
 * <p>Not thread-safe.
 */
public final class FileStorageReader implements CloseableIterator<TransactionRecord> {
    private final Path file;
    private final FileChannel channel;
    private final long size;
    private final String magic;
    private final OidOffsetIndex index = new OidOffsetIndex();
    private final CutChains cutChains = new CutChains();
    private long pos = MAGIC_LENGTH;
    private long lastTid = Tid.ZERO;
    private long droppedCheckpointAt = -1;
    private TransactionRecord next;
    private boolean finished;

    private FileStorageReader(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        this.size = channel.size();
        if (size < MAGIC_LENGTH) {
            throw corrupt(0, "a 4-byte magic \"FS30\" or \"FS21\"", "a file of only " + size + " bytes");
        }
        byte[] m = read(0, MAGIC_LENGTH);
        if (Arrays.equals(m, MAGIC_FS30)) magic = "FS30";
        else if (Arrays.equals(m, MAGIC_FS21)) magic = "FS21";
        else throw corrupt(0, "magic \"FS30\" or \"FS21\" (a ZODB FileStorage file)", "bytes " + hex(m));
    }

    /** Opens {@code file} and checks its magic. */
    public static FileStorageReader open(Path file) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            return new FileStorageReader(file, ch);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException("cannot read FileStorage file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** "FS30" (Python 3) or "FS21" (Python 2). */
    public String magic() {
        return magic;
    }

    /** The file's length in bytes. */
    public long size() {
        return size;
    }

    /** Offset of the next transaction to read: bytes consumed so far, for progress. */
    public long position() {
        return pos;
    }

    /** Offset of a trailing unfinished (status 'c') transaction that was skipped, or -1. */
    public long droppedCheckpointAt() {
        return droppedCheckpointAt;
    }

    /**
     * What ZODB would log as warnings about the part read so far, one line per kind with how
     * many and the first offsets; empty when there is nothing to say. Today one kind: data
     * records whose prev pointer is 0 although the file holds an earlier record of the oid
     * (ZODB's "incorrect previous pointer" warning; its packer writes them).
     */
    public List<String> warnings() {
        return cutChains.isEmpty() ? List.of() : List.of(cutChains.describe(file));
    }

    @Override
    public boolean hasNext() {
        if (next == null && !finished) {
            next = readTransaction();
            if (next == null) finished = true;
        }
        return next != null;
    }

    @Override
    public TransactionRecord next() {
        if (!hasNext()) throw new NoSuchElementException("no more transactions in " + file);
        TransactionRecord t = next;
        next = null;
        return t;
    }

    private TransactionRecord readTransaction() {
        if (pos == size) return null;
        long tpos = pos;
        if (size - tpos < TRANS_HEADER) {
            throw corrupt(
                    tpos,
                    "a " + TRANS_HEADER + "-byte transaction header",
                    "only " + (size - tpos) + " bytes before the end of the file (truncated?)");
        }
        byte[] h = read(tpos, TRANS_HEADER);
        long tid = getLong(h, 0);
        long tlen = getLong(h, 8);
        byte status = h[16];
        int ulen = getShort(h, 17), dlen = getShort(h, 19), elen = getShort(h, 21);
        long end = tpos + tlen + TRAILER; // first byte after this transaction
        if (status == STATUS_CHECKPOINT) {
            if (tlen < TRANS_HEADER || end >= size || end < 0) {
                droppedCheckpointAt = tpos; // voted but never finished: not committed, ZODB truncates it
                pos = size;
                return null;
            }
            throw corrupt(
                    tpos + 16,
                    "status ' ' or 'p' (a checkpoint 'c' may only be the last transaction)",
                    "'c' with more data after it");
        }
        if (status != STATUS_COMMITTED && status != STATUS_PACKED && status != STATUS_UNCERTAIN) {
            throw corrupt(tpos + 16, "transaction status ' ', 'p' or 'c'", statusName(status));
        }
        if (Long.compareUnsigned(tid, lastTid) <= 0) {
            throw corrupt(
                    tpos, "a tid greater than the previous transaction's " + Tid.hex(lastTid), "tid " + Tid.hex(tid));
        }
        long metaEnd = (long) TRANS_HEADER + ulen + dlen + elen;
        if (tlen < metaEnd) {
            throw corrupt(
                    tpos + 8,
                    "a transaction length of at least " + metaEnd + " (header, user, description, extension)",
                    "tlen " + tlen);
        }
        if (tlen > Integer.MAX_VALUE - 64 || end < 0 || end > size) {
            throw corrupt(
                    tpos + 8,
                    "a transaction length that ends within the file (size " + size + ")",
                    "tlen " + tlen + " (transaction " + Tid.hex(tid) + " would end at " + (tpos + tlen + TRAILER)
                            + "; file truncated?)");
        }
        byte[] t = read(tpos, (int) tlen + TRAILER);
        long trailer = getLong(t, (int) tlen);
        if (trailer != tlen) {
            throw corrupt(
                    tpos + tlen,
                    "the redundant transaction length " + tlen + " of transaction " + Tid.hex(tid) + " at " + tpos,
                    "" + trailer);
        }
        int p = TRANS_HEADER;
        String user = utf8(t, p, ulen, tpos + p, "user");
        p += ulen;
        String desc = utf8(t, p, dlen, tpos + p, "description");
        p += dlen;
        byte[] ext = Arrays.copyOfRange(t, p, p + elen);
        p += elen;
        List<Revision> revisions = new ArrayList<>();
        List<long[]> pending = new ArrayList<>(); // index updates, applied when the whole transaction checked out
        List<Long> cut = null; // records with a pack's prev = 0, counted when the whole transaction checked out
        while (p < tlen) {
            long rpos = tpos + p;
            if (tlen - p < DATA_HEADER) {
                throw corrupt(
                        rpos,
                        "a " + DATA_HEADER + "-byte data record header inside transaction " + Tid.hex(tid)
                                + " (ends at " + (tpos + tlen) + ")",
                        "only " + (tlen - p) + " bytes");
            }
            long oid = getLong(t, p);
            long rtid = getLong(t, p + 8);
            long prev = getLong(t, p + 16);
            long tloc = getLong(t, p + 24);
            int vlen = getShort(t, p + 32);
            long plen = getLong(t, p + 34);
            if (rtid != tid)
                throw corrupt(
                        rpos + 8,
                        "the enclosing transaction's tid " + Tid.hex(tid) + " in the data record of oid "
                                + Oid.hex(oid),
                        "tid " + Tid.hex(rtid));
            if (tloc != tpos)
                throw corrupt(
                        rpos + 24,
                        "the enclosing transaction's offset " + tpos + " in the data record of oid " + Oid.hex(oid),
                        "" + tloc);
            if (vlen != 0)
                throw corrupt(rpos + 32, "version length 0 (versions are not supported since ZODB 4)", "" + vlen);
            long expectedPrev = index.get(oid); // as of the transaction's start, as ZODB writes it
            if (prev != expectedPrev) {
                if (prev != 0) {
                    throw corrupt(
                            rpos + 16,
                            "prev pointer " + expectedPrev + " (the previous data record of oid " + Oid.hex(oid) + ")",
                            "" + prev);
                }
                // ZODB's packer writes prev = 0 on every record it keeps before the pack time,
                // also on an older revision a later undo still points to: ZODB reads the file
                // and only warns. The records are whole; what is lost is the chain link.
                if (cut == null) cut = new ArrayList<>();
                cut.add(rpos);
            }
            int body = p + DATA_HEADER;
            Revision r;
            if (plen > 0) {
                if (plen > tlen - body) {
                    throw corrupt(
                            rpos + 34,
                            "a data length that fits in transaction " + Tid.hex(tid) + " (at most " + (tlen - body)
                                    + ")",
                            "plen " + plen);
                }
                r = Revision.of(oid, tid, Arrays.copyOfRange(t, body, body + (int) plen));
                p = body + (int) plen;
            } else {
                if (tlen - body < 8) {
                    throw corrupt(
                            rpos + DATA_HEADER,
                            "an 8-byte backpointer inside transaction " + Tid.hex(tid),
                            "only " + (tlen - body) + " bytes");
                }
                long back = getLong(t, body);
                r = back == 0 ? new Revision(oid, tid, null, Tid.ZERO) : followBackpointer(oid, tid, rpos, back);
                p = body + 8;
            }
            pending.add(new long[] {oid, rpos});
            revisions.add(r);
        }
        for (long[] e : pending) index.put(e[0], e[1]);
        if (cut != null) cut.forEach(cutChains::add);
        pos = end;
        lastTid = tid;
        return new TransactionRecord(tid, status == STATUS_PACKED, new TransactionMetadata(user, desc, ext), revisions);
    }

    /** The revision a backpointer at {@code rpos} stands for: the tid it names and the data at the end of the chain. */
    private Revision followBackpointer(long oid, long tid, long rpos, long back) {
        long dataTid = Tid.ZERO;
        long at = back;
        long from = rpos;
        while (true) {
            if (at < MAGIC_LENGTH || at >= from || at > size - DATA_HEADER) {
                throw corrupt(
                        from + DATA_HEADER,
                        "a backpointer to an earlier data record of oid " + Oid.hex(oid) + " (offset below " + from
                                + ")",
                        "" + at);
            }
            byte[] h = read(at, DATA_HEADER);
            long boid = getLong(h, 0);
            long btid = getLong(h, 8);
            long plen = getLong(h, 34);
            if (boid != oid) {
                throw corrupt(
                        from + DATA_HEADER,
                        "a backpointer to a data record of oid " + Oid.hex(oid),
                        "offset " + at + ", a record of oid " + Oid.hex(boid));
            }
            if (Long.compareUnsigned(btid, tid) >= 0) {
                throw corrupt(
                        from + DATA_HEADER,
                        "a backpointer to a record older than tid " + Tid.hex(tid),
                        "offset " + at + ", a record of tid " + Tid.hex(btid));
            }
            if (dataTid == Tid.ZERO) dataTid = btid;
            if (plen > 0) {
                if (plen > size - at - DATA_HEADER || plen > Integer.MAX_VALUE - 64) {
                    throw corrupt(at + 34, "a data length within the file", "plen " + plen);
                }
                return new Revision(oid, tid, read(at + DATA_HEADER, (int) plen), dataTid);
            }
            long next = getLong(read(at + DATA_HEADER, 8), 0);
            if (next == 0) return new Revision(oid, tid, null, dataTid);
            from = at;
            at = next;
        }
    }

    private String utf8(byte[] b, int off, int len, long fileOffset, String field) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, off, len))
                    .toString();
        } catch (CharacterCodingException e) {
            throw corrupt(
                    fileOffset,
                    "the transaction's " + field + " as UTF-8 text (Cairn keeps it as a string)",
                    "bytes that are not UTF-8");
        }
    }

    private byte[] read(long at, int len) {
        byte[] b = new byte[len];
        ByteBuffer bb = ByteBuffer.wrap(b);
        try {
            while (bb.hasRemaining()) {
                int n = channel.read(bb, at + bb.position());
                if (n < 0) throw corrupt(at + bb.position(), len + " bytes from offset " + at, "the end of the file");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " at offset " + at + ": " + e.getMessage(), e);
        }
        return b;
    }

    private CorruptDataException corrupt(long offset, String expected, String found) {
        return new CorruptDataException("FileStorage " + file + ": at byte offset " + offset + ": expected " + expected
                + ", found " + found
                + ". The file is damaged or not a ZODB FileStorage; nothing after the last whole transaction before this offset was read"
                + " (ZODB's fsrecover.py can salvage a damaged file).");
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(String.format("%02x", x & 0xFF));
        return sb.toString();
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            /* already failing */
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }
}
