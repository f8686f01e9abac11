package org.cairndb.bench.storage;

import java.nio.ByteBuffer;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.conflict.ConflictResolver;

/**
 * The benchmarks' hot counter record (class {@value #CLASS}, body an 8-byte value) and its
 * resolver, registered in this module's
 * {@code META-INF/services/org.cairndb.storage.conflict.ConflictResolver}: concurrent
 * increments merge as {@code committed + mine - ancestor}, as a BTrees.Length does.
 */
public final class BenchCounter implements ConflictResolver {
    public static final String CLASS = "org.cairndb.bench.storage.Counter";

    public static byte[] record(long value) {
        return new RecordHeader(CLASS, new long[0])
                .encode(ByteBuffer.allocate(8).putLong(value).array());
    }

    public static long value(byte[] record) {
        return ByteBuffer.wrap(RecordHeader.body(record)).getLong();
    }

    @Override
    public boolean handles(String className) {
        return CLASS.equals(className);
    }

    @Override
    public byte[] resolve(long oid, String className, byte[] ancestor, byte[] committed, byte[] mine) {
        if (ancestor == null) return null; // without the common state the increments cannot be told apart
        return record(value(committed) + value(mine) - value(ancestor));
    }
}
