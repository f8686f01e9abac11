package org.cairndb.mapping;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.LongFunction;
import org.cairndb.storage.CorruptDataException;
import org.cairndb.storage.Oid;
import org.cairndb.storage.TransactionMetadata;

/**
 * The off-heap value of one object: its current revision and the metadata of the
 * transaction that wrote it, so that iteration can rebuild transactions from the map alone
 * (no second map to size, nothing to garbage-collect when a transaction is superseded).
 *
 * <pre>
 *  offset size  field
 *  0      1     format: 1 = data inline, 2 = data spilled into chunk entries
 *  1      1     flags: bit 0 = has data
 *  2      8     tid of this revision
 *  10     8     data tid (ZERO, or the transaction whose data a restored backpointer reuses)
 *  18     8     created tid: the object's first revision (answers "did it exist then?")
 *  26     4     how many revisions the transaction wrote (to mark iteration "packed")
 *  30     4     this revision's position in its transaction (iteration keeps the order)
 *  34     4+n   user, UTF-8, length-prefixed
 *  ...    4+n   description, UTF-8, length-prefixed
 *  ...    4+n   extension bytes, length-prefixed
 *  ...          format 1: the record data, to the end
 *               format 2: first chunk key (8), data length (4), chunk count (4)
 * </pre>
 *
 * <h2>Spilled records</h2>
 * Chronicle Map refuses an entry larger than a fraction of a segment, which depends on the
 * sizing. A record above the spill threshold is cut into chunks stored in a second map
 * (created on first use) under keys {@code first}, {@code first + 1}, ...; chunk keys are
 * never reused, so a reader holding an old value
 * either finds all its chunks or sees one missing ({@link ChunkMissing}) and reads again.
 */
final class RecordCodec {
    static final byte INLINE = 1;
    static final byte SPILLED = 2;
    private static final int HEADER = 34;

    private RecordCodec() {}

    /** A decoded value. {@code data} null for a revision without data; {@code chunks} 0 unless spilled. */
    record Head(
            long tid,
            long dataTid,
            long createdTid,
            int txnSize,
            int position,
            TransactionMetadata metadata,
            byte[] data,
            long firstChunk,
            int chunks) {
        boolean hasOlder() {
            return createdTid < tid;
        }
    }

    /** A chunk of a spilled record is gone: the value read was replaced meanwhile. Read again. */
    static final class ChunkMissing extends RuntimeException {
        ChunkMissing() {
            super(null, null, false, false);
        }
    }

    /** Encodes inline; see {@link #spilled} for large records. */
    static byte[] encode(
            long tid, long dataTid, long createdTid, int txnSize, int position, EncodedMetadata meta, byte[] data) {
        int len = HEADER + meta.bytes.length + (data == null ? 0 : data.length);
        ByteBuffer b = header(len, INLINE, data != null, tid, dataTid, createdTid, txnSize, position, meta);
        if (data != null) b.put(data);
        return b.array();
    }

    static byte[] spilled(
            long tid,
            long dataTid,
            long createdTid,
            int txnSize,
            int position,
            EncodedMetadata meta,
            int dataLength,
            long firstChunk,
            int chunks) {
        ByteBuffer b = header(
                HEADER + meta.bytes.length + 16, SPILLED, true, tid, dataTid, createdTid, txnSize, position, meta);
        b.putLong(firstChunk).putInt(dataLength).putInt(chunks);
        return b.array();
    }

    private static ByteBuffer header(
            int len,
            byte format,
            boolean hasData,
            long tid,
            long dataTid,
            long createdTid,
            int txnSize,
            int position,
            EncodedMetadata meta) {
        ByteBuffer b = ByteBuffer.allocate(len);
        b.put(format)
                .put((byte) (hasData ? 1 : 0))
                .putLong(tid)
                .putLong(dataTid)
                .putLong(createdTid)
                .putInt(txnSize)
                .putInt(position);
        b.put(meta.bytes);
        return b;
    }

    /** The tid of an encoded value, without decoding the rest. */
    static long tid(byte[] v) {
        return ByteBuffer.wrap(v, 2, 8).getLong();
    }

    static boolean hasData(byte[] v) {
        return (v[1] & 1) != 0;
    }

    /**
     * @param chunks reads a chunk entry by key (null when absent)
     * @throws ChunkMissing if a spilled record's chunk is gone (the value was replaced meanwhile)
     */
    static Head decode(long oid, byte[] v, LongFunction<byte[]> chunks) {
        try {
            ByteBuffer b = ByteBuffer.wrap(v);
            byte format = b.get();
            if (format != INLINE && format != SPILLED) {
                throw new CorruptDataException("mem: record of oid " + Oid.describe(oid) + ": format byte " + format
                        + " at offset 0, expected 1 or 2 (a file written by another version, or corrupt)");
            }
            boolean hasData = (b.get() & 1) != 0;
            long tid = b.getLong();
            long dataTid = b.getLong();
            long created = b.getLong();
            int txnSize = b.getInt();
            int position = b.getInt();
            String user = string(b);
            String desc = string(b);
            byte[] ext = new byte[b.getInt()];
            b.get(ext);
            TransactionMetadata meta = new TransactionMetadata(user, desc, ext);
            if (format == SPILLED) {
                long first = b.getLong();
                int length = b.getInt();
                int count = b.getInt();
                byte[] data = new byte[length];
                int at = 0;
                for (int i = 0; i < count; i++) {
                    byte[] c = chunks.apply(first + i);
                    if (c == null) throw new ChunkMissing();
                    System.arraycopy(c, 0, data, at, c.length);
                    at += c.length;
                }
                if (at != length) {
                    throw new CorruptDataException("mem: spilled record of oid " + Oid.describe(oid) + " has " + at
                            + " bytes in " + count + " chunks, expected " + length);
                }
                return new Head(tid, dataTid, created, txnSize, position, meta, data, first, count);
            }
            byte[] data = null;
            if (hasData) {
                data = new byte[b.remaining()];
                b.get(data);
            }
            return new Head(tid, dataTid, created, txnSize, position, meta, data, 0, 0);
        } catch (ChunkMissing | CorruptDataException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CorruptDataException(
                    "mem: record of oid " + Oid.describe(oid) + " (" + v.length + " bytes) is truncated or malformed: "
                            + e,
                    e);
        }
    }

    /** The chunk keys a spilled value refers to, without reading them: {first, count}, or null if inline. */
    static long[] chunkRange(byte[] v) {
        if (v[0] != SPILLED) return null;
        ByteBuffer b = ByteBuffer.wrap(v, v.length - 16, 16);
        long first = b.getLong();
        b.getInt();
        return new long[] {first, b.getInt()};
    }

    private static String string(ByteBuffer b) {
        byte[] s = new byte[b.getInt()];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    /** A transaction's metadata encoded once and copied into each of its values. */
    static final class EncodedMetadata {
        final byte[] bytes;

        EncodedMetadata(TransactionMetadata m) {
            byte[] u = m.user().getBytes(StandardCharsets.UTF_8);
            byte[] d = m.description().getBytes(StandardCharsets.UTF_8);
            byte[] e = m.extension();
            bytes = ByteBuffer.allocate(12 + u.length + d.length + e.length)
                    .putInt(u.length)
                    .put(u)
                    .putInt(d.length)
                    .put(d)
                    .putInt(e.length)
                    .put(e)
                    .array();
        }
    }
}
