package org.cairndb.storage.conformance;

import java.nio.ByteBuffer;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.conflict.ConflictResolver;

/**
 * The kit's conflict resolver, found by ServiceLoader through the test-jar's
 * {@code META-INF/services/org.cairndb.storage.conflict.ConflictResolver}.
 *
 * <ul>
 * <li>{@value #COUNTER_CLASS}: merged as {@code committed + mine - ancestor}, like
 *     BTrees.Length; declines (a conflict) when the ancestor is unknown. The merged record
 *     keeps the references of {@code mine}.</li>
 * <li>{@value #BUGGY_CLASS}: throws, as a buggy application resolver would.</li>
 * </ul>
 */
public final class TestCounterResolver implements ConflictResolver {
    public static final String COUNTER_CLASS = "org.cairndb.storage.conformance.TestCounter";
    public static final String BUGGY_CLASS = "org.cairndb.storage.conformance.TestBuggy";

    @Override
    public boolean handles(String className) {
        return COUNTER_CLASS.equals(className) || BUGGY_CLASS.equals(className);
    }

    @Override
    public byte[] resolve(long oid, String className, byte[] ancestor, byte[] committed, byte[] mine) {
        if (BUGGY_CLASS.equals(className)) {
            throw new IllegalStateException("kit's buggy resolver fails on purpose for oid " + oid);
        }
        if (ancestor == null) return null;
        long merged = Records.counterValue(committed) + Records.counterValue(mine) - Records.counterValue(ancestor);
        long[] refs = RecordHeader.parse(mine).header().references();
        return new RecordHeader(COUNTER_CLASS, refs)
                .encode(ByteBuffer.allocate(8).putLong(merged).array());
    }
}
