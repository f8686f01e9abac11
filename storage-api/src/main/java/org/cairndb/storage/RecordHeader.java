package org.cairndb.storage;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The header at the start of every record the Cairn object layer writes: a format version,
 * the class name of the object, and the oids the record references. It lets a storage or
 * server pick a conflict resolver by class name and walk references for pack without
 * knowing the serializer.
 *
 * <h2>Layout</h2>
 * <pre>
 *  offset  size      field
 *  0       4         magic  0xC3 'C' 'R' 'N'
 *  4       1         format version (currently 1)
 *  5       varint    length of the class name in UTF-8 bytes (1..65535)
 *  ...     n         class name, UTF-8
 *  ...     varint    number of referenced oids
 *  ...     varint*   each referenced oid (unsigned LEB128)
 *  ...               body: the serializer's bytes, to the end of the record
 * </pre>
 * Varints are unsigned LEB128 (7 bits a byte, low group first, high bit set on all but
 * the last byte; at most 10 bytes).
 *
 * <p>Records that do not start with the magic (ZODB's Python pickles begin with 0x80 or
 * an ASCII opcode) are <em>foreign</em>: stored and served byte for byte, never resolved,
 * and treated by pack as roots unless a reference scanner for their format is plugged in.
 */
public record RecordHeader(int formatVersion, String className, long[] references) {
    public static final int CURRENT_VERSION = 1;
    static final byte[] MAGIC = {(byte) 0xC3, 'C', 'R', 'N'};
    private static final int MAX_CLASS_NAME = 65535;

    public RecordHeader {
        if (className == null || className.isEmpty()) {
            throw new IllegalArgumentException("record header needs a class name");
        }
        if (references == null) references = new long[0];
    }

    public RecordHeader(String className, long[] references) {
        this(CURRENT_VERSION, className, references);
    }

    /** A decoded header and where the body starts in the record. */
    public record Parsed(RecordHeader header, int bodyOffset) {}

    /** True if the record starts with Cairn's magic (it may still be corrupt further on). */
    public static boolean isCairnRecord(byte @Nullable [] data) {
        if (data == null || data.length < MAGIC.length) return false;
        for (int i = 0; i < MAGIC.length; i++) if (data[i] != MAGIC[i]) return false;
        return true;
    }

    /** The class name of a Cairn record, or null for a foreign record. */
    public static @Nullable String classNameOf(byte[] data) {
        return isCairnRecord(data) ? parse(data).header().className() : null;
    }

    /** The oids a Cairn record references, or null for a foreign record. */
    public static long @Nullable [] referencesOf(byte[] data) {
        return isCairnRecord(data) ? parse(data).header().references() : null;
    }

    /**
     * Decodes the header of a Cairn record.
     *
     * @throws CorruptDataException if the record is foreign, truncated, or malformed; the
     *         message names the byte offset and what was expected there
     */
    public static Parsed parse(byte[] data) {
        if (data == null) throw new CorruptDataException("record header: no data (null record)");
        if (!isCairnRecord(data)) {
            throw new CorruptDataException("record header: expected magic C3 43 52 4E at offset 0, found "
                    + hexPrefix(data) + " (not a Cairn record: a foreign record, e.g. a ZODB pickle, or corrupt data)");
        }
        Reader r = new Reader(data, MAGIC.length);
        int version = r.u8("format version");
        if (version < 1 || version > CURRENT_VERSION) {
            throw new CorruptDataException("record header: format version " + version + " at offset 4 is not supported"
                    + " (this Cairn reads versions 1.." + CURRENT_VERSION + "; upgrade Cairn to read newer records)");
        }
        long nameLen = r.varint("class name length");
        if (nameLen < 1 || nameLen > MAX_CLASS_NAME) {
            throw new CorruptDataException("record header: class name length " + nameLen + " at offset " + r.last
                    + " out of range (expected 1.." + MAX_CLASS_NAME + ")");
        }
        int nameStart = r.pos;
        r.need((int) nameLen, "class name");
        String className = new String(data, nameStart, (int) nameLen, StandardCharsets.UTF_8);
        r.pos += (int) nameLen;
        long count = r.varint("reference count");
        if (count < 0 || count > (data.length - r.pos)) {
            throw new CorruptDataException("record header: reference count " + count + " at offset " + r.last
                    + " exceeds the " + (data.length - r.pos) + " bytes left in the record");
        }
        long[] refs = new long[(int) count];
        for (int i = 0; i < refs.length; i++)
            refs[i] = r.varint("reference ", i); // the label is built only for an error
        return new Parsed(new RecordHeader(version, className, refs), r.pos);
    }

    /** Header followed by the body, as one record. */
    public byte[] encode(byte[] body) {
        byte[] name = className.getBytes(StandardCharsets.UTF_8);
        if (name.length > MAX_CLASS_NAME) {
            throw new IllegalArgumentException(
                    "class name of " + name.length + " bytes is longer than " + MAX_CLASS_NAME);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + name.length + references.length * 3 + body.length);
        out.writeBytes(MAGIC);
        out.write(formatVersion);
        writeVarint(out, name.length);
        out.writeBytes(name);
        writeVarint(out, references.length);
        for (long ref : references) writeVarint(out, ref);
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** The body of a Cairn record (everything after the header). */
    public static byte[] body(byte[] data) {
        Parsed p = parse(data);
        return Arrays.copyOfRange(data, p.bodyOffset(), data.length);
    }

    static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static String hexPrefix(byte[] data) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(4, data.length); i++) sb.append(String.format("%02X ", data[i] & 0xFF));
        return data.length == 0 ? "an empty record" : sb.toString().trim();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordHeader h
                && h.formatVersion == formatVersion
                && h.className.equals(className)
                && Arrays.equals(h.references, references);
    }

    @Override
    public int hashCode() {
        return className.hashCode() * 31 + Arrays.hashCode(references);
    }

    @Override
    public String toString() {
        return "RecordHeader[v" + formatVersion + " " + className + " refs=" + Arrays.toString(references) + "]";
    }

    private static final class Reader {
        final byte[] data;
        int pos;
        int last;

        Reader(byte[] data, int pos) {
            this.data = data;
            this.pos = pos;
        }

        void need(int n, String what) {
            if (pos + n > data.length) {
                throw new CorruptDataException("record header truncated: expected " + n + " byte(s) of " + what
                        + " at offset " + pos + " but the record ends at " + data.length);
            }
        }

        int u8(String what) {
            need(1, what);
            last = pos;
            return data[pos++] & 0xFF;
        }

        long varint(String what) {
            return varint(what, -1);
        }

        /** A varint named {@code what}, or {@code what + index} when index >= 0 (concatenated only for an error message). */
        long varint(String what, int index) {
            last = pos;
            long v = 0;
            for (int shift = 0; shift < 70; shift += 7) {
                if (pos >= data.length) need(1, index < 0 ? what : what + index);
                int b = data[pos++] & 0xFF;
                if (shift == 63 && (b & 0x7F) > 1) {
                    if (index >= 0) what = what + index;
                    throw new CorruptDataException("record header: varint for " + what + " at offset " + last
                            + " overflows 64 bits (its 10th byte is 0x" + Integer.toHexString(b)
                            + ", expected 0x00 or 0x01)");
                }
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) return v;
            }
            throw new CorruptDataException("record header: varint for " + (index < 0 ? what : what + index)
                    + " at offset " + last + " runs past 10 bytes (expected a 64-bit unsigned LEB128 number)");
        }
    }
}
