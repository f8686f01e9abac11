package org.cairndb.mapping;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 *  0      1     format (1)
 *  1      1     flags: bit 0 = has data
 *  2      8     tid of this revision
 *  10     8     data tid (ZERO, or the transaction whose data a restored backpointer reuses)
 *  18     8     created tid: the object's first revision (answers "did it exist then?")
 *  26     4     how many revisions the transaction wrote (to mark iteration "packed")
 *  30     4+n   user, UTF-8, length-prefixed
 *  ...    4+n   description, UTF-8, length-prefixed
 *  ...    4+n   extension bytes, length-prefixed
 *  ...          record data, to the end
 * </pre>
 */
final class RecordCodec {
    static final byte FORMAT = 1;
    private static final int HEADER = 30;

    private RecordCodec() {}

    /** A decoded value. {@code data} null for a revision without data. */
    record Head(long tid, long dataTid, long createdTid, int txnSize, TransactionMetadata metadata, byte[] data) {
        boolean hasOlder() {
            return createdTid < tid;
        }
    }

    static byte[] encode(long tid, long dataTid, long createdTid, int txnSize, EncodedMetadata meta, byte[] data) {
        int len = HEADER + meta.bytes.length + (data == null ? 0 : data.length);
        ByteBuffer b = ByteBuffer.allocate(len);
        b.put(FORMAT).put((byte) (data == null ? 0 : 1)).putLong(tid).putLong(dataTid).putLong(createdTid).putInt(txnSize);
        b.put(meta.bytes);
        if (data != null) b.put(data);
        return b.array();
    }

    /** The tid of an encoded value, without decoding the rest. */
    static long tid(byte[] v) {
        return ByteBuffer.wrap(v, 2, 8).getLong();
    }

    static Head decode(long oid, byte[] v) {
        try {
            ByteBuffer b = ByteBuffer.wrap(v);
            byte format = b.get();
            if (format != FORMAT) {
                throw new CorruptDataException("mem: record of oid " + Oid.describe(oid) + ": format byte " + format
                        + " at offset 0, expected " + FORMAT + " (a file written by another version, or corrupt)");
            }
            boolean hasData = (b.get() & 1) != 0;
            long tid = b.getLong();
            long dataTid = b.getLong();
            long created = b.getLong();
            int txnSize = b.getInt();
            String user = string(b);
            String desc = string(b);
            byte[] ext = new byte[b.getInt()];
            b.get(ext);
            byte[] data = null;
            if (hasData) {
                data = new byte[b.remaining()];
                b.get(data);
            }
            return new Head(tid, dataTid, created, txnSize, new TransactionMetadata(user, desc, ext), data);
        } catch (RuntimeException e) {
            if (e instanceof CorruptDataException c) throw c;
            throw new CorruptDataException("mem: record of oid " + Oid.describe(oid) + " (" + v.length
                    + " bytes) is truncated or malformed: " + e, e);
        }
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
                    .putInt(u.length).put(u).putInt(d.length).put(d).putInt(e.length).put(e).array();
        }
    }
}
