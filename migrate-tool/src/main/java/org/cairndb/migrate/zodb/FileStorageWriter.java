package org.cairndb.migrate.zodb;

import static org.cairndb.migrate.zodb.FileStorageFormat.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.cairndb.storage.Oid;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionRecord;

/**
 * Writes {@link TransactionRecord}s as a ZODB FileStorage file in the FS30 layout Python 3
 * ZODB writes, so that a file read by {@link FileStorageReader} and written back comes out
 * byte for byte the same.
 *
 * <h2>How each field is made</h2>
 * <ul>
 * <li>status {@code 'p'} for a packed transaction, {@code ' '} otherwise;</li>
 * <li>user, description and extension: at most 65,535 bytes each (two-byte lengths; there is
 *     no limit on the three together, as in ZODB). {@link #checkWritable} says, before
 *     anything is written, whether a transaction fits;</li>
 * <li>{@code prev}: 0 in a packed transaction, as ZODB's pack writes every record it keeps
 *     before the pack time (ZODB reads a 0 there with a warning even where the file holds an
 *     older record of the oid, which its pack keeps when a later undo points to it);
 *     otherwise the offset of the oid's previous record in this file (0 for the first),
 *     taken from the index as it stood when the transaction began, as ZODB's store and
 *     restore do;</li>
 * <li>a revision with a {@code dataTid} becomes a backpointer to the oid's record written by
 *     that transaction (the last one, if it wrote several), found through the oid's prev
 *     chain, or where a pack cut that chain through the transactions written so far, as
 *     ZODB's {@code _txn_find} does. The pointer names that very record even when it is itself a
 *     backpointer: a chained undo (undo of an undo) is written as the source wrote it. When
 *     the file has no such record (the source had packed it away) the data is written
 *     inline instead;</li>
 * <li>a revision without data and without a {@code dataTid} is a backpointer of 0 (an
 *     undone creation or a deletion).</li>
 * </ul>
 * A file read by {@link FileStorageReader} and written back is therefore the same bytes,
 * packed files (ZODB's {@code pack --days N} after undos) included.
 * Each transaction is assembled in memory and written with one call; {@link #close} forces
 * the file to disk. Not thread-safe.
 */
public final class FileStorageWriter implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final OidOffsetIndex index = new OidOffsetIndex();
    private long pos;
    private long lastTid = Tid.ZERO;
    private byte[] buf = new byte[64 * 1024];
    private long[] pendingOids = new long[64];
    private long[] pendingOffsets = new long[64];
    /** tid → offset of every transaction written, in tid order (ZODB's {@code _txn_find} by binary search). */
    private long[] txnTids = new long[1024];

    private long[] txnOffsets = new long[1024];
    private int txnCount;

    private FileStorageWriter(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        channel.write(ByteBuffer.wrap(MAGIC_FS30), 0);
        pos = MAGIC_LENGTH;
    }

    /** Creates {@code file}; refuses to overwrite an existing file unless {@code overwrite}. */
    public static FileStorageWriter create(Path file, boolean overwrite) {
        try {
            FileChannel ch = overwrite
                    ? FileChannel.open(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            StandardOpenOption.READ,
                            StandardOpenOption.TRUNCATE_EXISTING)
                    : FileChannel.open(
                            file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
            return new FileStorageWriter(file, ch);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new IllegalArgumentException(
                    "output file " + file
                            + " already exists; remove it or choose another name (export never overwrites a file)",
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create FileStorage file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Bytes written so far. */
    public long position() {
        return pos;
    }

    /** Appends one transaction. @throws IllegalArgumentException if it cannot be represented (tid order, field sizes) */
    public void write(TransactionRecord txn) {
        if (Long.compareUnsigned(txn.tid(), lastTid) <= 0) {
            throw new IllegalArgumentException(
                    "transaction " + Tid.hex(txn.tid()) + " is not after the last one written, " + Tid.hex(lastTid)
                            + " (a FileStorage needs increasing tids)");
        }
        byte[] user = txn.metadata().user().getBytes(StandardCharsets.UTF_8);
        byte[] desc = txn.metadata().description().getBytes(StandardCharsets.UTF_8);
        byte[] ext = txn.metadata().extension();
        checkField(txn.tid(), "user", user.length);
        checkField(txn.tid(), "description", desc.length);
        checkField(txn.tid(), "extension", ext.length);
        int p = 0;
        ensure(TRANS_HEADER + user.length + desc.length + ext.length);
        putLong(buf, 0, txn.tid());
        buf[16] = txn.packed() ? STATUS_PACKED : STATUS_COMMITTED;
        putShort(buf, 17, user.length);
        putShort(buf, 19, desc.length);
        putShort(buf, 21, ext.length);
        p = TRANS_HEADER;
        System.arraycopy(user, 0, buf, p, user.length);
        p += user.length;
        System.arraycopy(desc, 0, buf, p, desc.length);
        p += desc.length;
        System.arraycopy(ext, 0, buf, p, ext.length);
        p += ext.length;
        int n = 0;
        for (Revision r : txn.revisions()) {
            long rpos = pos + p;
            long back = -1; // -1: write data inline
            if (r.isBackpointer()) {
                back = findBackpointer(r.oid(), r.dataTid());
                if (back < 0 && r.data() == null) back = 0;
            } else if (r.data() == null) {
                back = 0;
            }
            int dataLen = back >= 0 ? 0 : r.data().length;
            ensure(p + DATA_HEADER + Math.max(8, dataLen) + TRAILER);
            putLong(buf, p, r.oid());
            putLong(buf, p + 8, txn.tid());
            putLong(buf, p + 16, txn.packed() ? 0 : index.get(r.oid()));
            putLong(buf, p + 24, pos);
            putShort(buf, p + 32, 0);
            putLong(buf, p + 34, dataLen);
            p += DATA_HEADER;
            if (back >= 0) {
                putLong(buf, p, back);
                p += 8;
            } else {
                System.arraycopy(r.data(), 0, buf, p, dataLen);
                p += dataLen;
            }
            if (n == pendingOids.length) {
                pendingOids = Arrays.copyOf(pendingOids, n * 2);
                pendingOffsets = Arrays.copyOf(pendingOffsets, n * 2);
            }
            pendingOids[n] = r.oid();
            pendingOffsets[n++] = rpos;
        }
        putLong(buf, 8, p);
        ensure(p + TRAILER);
        putLong(buf, p, p);
        p += TRAILER;
        writeFully(ByteBuffer.wrap(buf, 0, p), pos);
        for (int i = 0; i < n; i++) index.put(pendingOids[i], pendingOffsets[i]);
        if (txnCount == txnTids.length) {
            txnTids = Arrays.copyOf(txnTids, txnCount * 2);
            txnOffsets = Arrays.copyOf(txnOffsets, txnCount * 2);
        }
        txnTids[txnCount] = txn.tid();
        txnOffsets[txnCount++] = pos;
        pos += p;
        lastTid = txn.tid();
    }

    /**
     * The backpointer for a revision of {@code oid} that reuses the data of transaction
     * {@code dataTid}: the offset of the last record of the oid in that transaction, whether
     * it holds data or is itself a backpointer (ZODB's undo writes such chains); -1 if the
     * file holds no such transaction or record. The oid's prev chain is walked first (undo
     * points at recent records: a few reads); where a pack cut the chain (prev = 0 on a
     * record newer than {@code dataTid}) the transaction is found by tid and scanned.
     */
    private long findBackpointer(long oid, long dataTid) {
        byte[] h = new byte[DATA_HEADER];
        long at = index.get(oid);
        while (at != 0) {
            readFully(h, at, DATA_HEADER);
            long tid = getLong(h, 8);
            if (tid == dataTid) return at;
            if (Long.compareUnsigned(tid, dataTid) < 0) return -1;
            at = getLong(h, 16);
            if (at == 0) return scanTransaction(oid, dataTid, h);
        }
        return -1;
    }

    /** The offset of the last record of {@code oid} in transaction {@code tid}, found by tid (ZODB's {@code _txn_find}, {@code _data_find}); -1 if none. */
    private long scanTransaction(long oid, long tid, byte[] h) {
        int t = Arrays.binarySearch(txnTids, 0, txnCount, tid);
        if (t < 0) return -1;
        long tpos = txnOffsets[t];
        readFully(h, tpos, TRANS_HEADER);
        long tend = tpos + getLong(h, 8);
        long at = tpos + TRANS_HEADER + getShort(h, 17) + getShort(h, 19) + getShort(h, 21);
        long found = -1;
        while (at < tend) {
            readFully(h, at, DATA_HEADER);
            if (getLong(h, 0) == oid) found = at;
            long plen = getLong(h, 34);
            at += DATA_HEADER + (plen == 0 ? 8 : plen);
        }
        return found;
    }

    /**
     * Whether {@code txn} can be written as a FileStorage transaction: user, description and
     * extension of at most 65,535 bytes each.
     *
     * @throws IllegalArgumentException naming the transaction and the field that is too long
     */
    public static void checkWritable(TransactionRecord txn) {
        checkField(txn.tid(), "user", utf8Length(txn.metadata().user()));
        checkField(txn.tid(), "description", utf8Length(txn.metadata().description()));
        checkField(txn.tid(), "extension", txn.metadata().extension().length);
    }

    private static void checkField(long tid, String field, int length) {
        if (length > MAX_FIELD) {
            throw new IllegalArgumentException(
                    "transaction " + Tid.describe(tid) + ": its " + field + " takes " + length
                            + " bytes, and a FileStorage stores at most " + MAX_FIELD
                            + " bytes per field; shorten it in the source,"
                            + " or export in Cairn's format (--format cairn)");
        }
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    private void ensure(int capacity) {
        if (capacity > buf.length) buf = Arrays.copyOf(buf, Math.max(capacity, buf.length * 2));
    }

    private void writeFully(ByteBuffer b, long at) {
        try {
            while (b.hasRemaining()) at += channel.write(b, at);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + " at offset " + at + ": " + e.getMessage(), e);
        }
    }

    private void readFully(byte[] h, long at, int len) {
        ByteBuffer b = ByteBuffer.wrap(h, 0, len);
        try {
            while (b.hasRemaining()) {
                if (channel.read(b, at + b.position()) < 0) break;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read back " + file + " at offset " + at + ": " + e.getMessage(), e);
        }
        if (b.hasRemaining()) {
            throw new IllegalStateException(
                    "a record header at " + at + " in " + file + " lies past the end of what was written");
        }
    }

    /** Forces the file to disk and closes it. */
    @Override
    public void close() {
        try {
            channel.force(true);
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "FileStorageWriter[" + file + " at " + pos + ", " + index.size() + " objects, last " + Oid.hex(lastTid)
                + "]";
    }
}
