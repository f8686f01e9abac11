package org.cairndb.storage.conformance;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.cairndb.storage.RecordHeader;

/**
 * Builds the records the kit stores: Cairn records (with a {@link RecordHeader}, so pack can
 * follow references and resolvers can pick them by class name) and foreign records (no header,
 * as ZODB pickles are).
 */
public final class Records {
    /** Class name of plain kit objects: no resolver handles it, so a conflict stays a conflict. */
    public static final String OBJECT_CLASS = "org.cairndb.storage.conformance.TestObject";
    /** Class name of kit counters, merged by {@link TestCounterResolver}. */
    public static final String COUNTER_CLASS = TestCounterResolver.COUNTER_CLASS;
    /** Class name whose resolver always throws: a buggy application resolver. */
    public static final String BUGGY_CLASS = TestCounterResolver.BUGGY_CLASS;

    private Records() {}

    /** A kit object holding {@code text} and referencing {@code refs}. */
    public static byte[] object(String text, long... refs) {
        return new RecordHeader(OBJECT_CLASS, refs).encode(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The text of a record made by {@link #object}. */
    public static String text(byte[] record) {
        return new String(RecordHeader.body(record), StandardCharsets.UTF_8);
    }

    /** A record of any class with a raw body. */
    public static byte[] of(String className, byte[] body, long... refs) {
        return new RecordHeader(className, refs).encode(body);
    }

    /** A kit counter: body is the 8-byte big-endian value. */
    public static byte[] counter(long value, long... refs) {
        return new RecordHeader(COUNTER_CLASS, refs)
                .encode(ByteBuffer.allocate(8).putLong(value).array());
    }

    /** The value of a record made by {@link #counter}. */
    public static long counterValue(byte[] record) {
        byte[] body = RecordHeader.body(record);
        if (body.length != 8)
            throw new IllegalArgumentException("counter body of " + body.length + " bytes, expected 8");
        return ByteBuffer.wrap(body).getLong();
    }

    /** A record whose resolver throws when asked to merge it. */
    public static byte[] buggy(long value) {
        return new RecordHeader(BUGGY_CLASS, new long[0])
                .encode(ByteBuffer.allocate(8).putLong(value).array());
    }

    /**
     * A foreign record: no Cairn header, like a ZODB protocol-3 pickle (starts with 0x80 0x03).
     * Storages keep it byte for byte; pack treats it as a root.
     */
    public static byte[] foreign(String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        byte[] r = new byte[t.length + 3];
        r[0] = (byte) 0x80;
        r[1] = 0x03;
        System.arraycopy(t, 0, r, 2, t.length);
        r[r.length - 1] = '.';
        return r;
    }
}
