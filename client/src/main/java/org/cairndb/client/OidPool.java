package org.cairndb.client;

import java.util.function.IntFunction;

/**
 * The oids one {@link Jar} hands to objects it adopts, fetched from its storage in batches.
 *
 * <h2>Design</h2>
 * When the pool runs dry it asks the storage ({@code newOids(n)}) for the next batch: 64
 * oids at first, doubling at each refill up to 1,024. A connection adding many objects asks
 * the storage rarely (over {@code cairn://} each request waits behind the stores streamed
 * before it); one adding few wastes few oids when it closes (oids handed out and never
 * stored are simply never used; the storage never hands them out again).
 * <i>Alternative rejected:</i> one oid per request: a round trip per new object on a
 * network storage. A fixed large batch: a short-lived connection would burn a thousand oids.
 *
 * <h2>Concurrency</h2>
 * None inside: used by its jar's connection thread only.
 */
final class OidPool {
    static final int FIRST_BATCH = 64;
    static final int MAX_BATCH = 1024;

    private final IntFunction<long[]> newOids;
    private long[] pool = new long[0];
    private int pos;
    private int batch = FIRST_BATCH;

    /** @param newOids the storage's {@code newOids(n)} */
    OidPool(IntFunction<long[]> newOids) {
        this.newOids = newOids;
    }

    /** The next unused oid, asking the storage for a new batch when the pool is empty. */
    long next() {
        if (pos == pool.length) {
            pool = newOids.apply(batch);
            pos = 0;
            batch = Math.min(MAX_BATCH, batch * 2);
        }
        return pool[pos++];
    }
}
