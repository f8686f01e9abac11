package org.cairndb.storage.spi;

import java.util.concurrent.atomic.AtomicLong;
import org.cairndb.storage.StorageMisuseException;

/**
 * The oid allocator of a single-process storage: counts up from 1 (0 is the root), never hands
 * out an oid twice, and moves past every oid stored directly or restored. Implements the
 * contract's {@code newOids}: 0 asks for nothing, a negative count is misuse.
 */
public final class OidCounter {
    private final AtomicLong next = new AtomicLong(1);

    /** {@code count} fresh oids for {@code Storage.newOids}. */
    public long[] take(String storageName, int count) {
        if (count < 0)
            throw new StorageMisuseException(
                    "storage '" + storageName + "': newOids(" + count + "): count must be at least 0");
        long first = next.getAndAdd(count);
        long[] out = new long[count];
        for (int i = 0; i < count; i++) out[i] = first + i;
        return out;
    }

    /** The next oid {@link #take} would hand out. */
    public long peek() {
        return next.get();
    }

    /** Never hands out anything below {@code oid} (a recovered counter, or past an oid written). */
    public void atLeast(long oid) {
        next.accumulateAndGet(Math.max(1, oid), Math::max);
    }
}
