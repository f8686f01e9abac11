package org.cairndb.server;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free latency histogram: log-linear buckets (8 per power of two, so a percentile is
 * within 12.5% of the truth) over nanoseconds, recorded by any thread with one atomic add.
 * Cheaper than a sorted sample and needs no reset; enough for status percentiles.
 */
final class LatencyHistogram {
    private static final int SUB = 8;
    private static final int SUB_BITS = 3;
    private final AtomicLongArray counts = new AtomicLongArray(64 * SUB);

    void record(long nanos) {
        counts.incrementAndGet(index(Math.max(1, nanos)));
    }

    static int index(long v) {
        int exp = 63 - Long.numberOfLeadingZeros(v);
        if (exp < SUB_BITS) return (int) v;
        int sub = (int) ((v >>> (exp - SUB_BITS)) & (SUB - 1));
        return exp * SUB + sub;
    }

    /** Upper bound (ns) of bucket i. */
    static long upper(int i) {
        int exp = i / SUB;
        int sub = i % SUB;
        if (exp < SUB_BITS) return i;
        return ((long) (SUB + sub + 1)) << (exp - SUB_BITS);
    }

    long count() {
        long n = 0;
        for (int i = 0; i < counts.length(); i++) n += counts.get(i);
        return n;
    }

    /** The q-quantile (0..1) in nanoseconds, 0 when empty. */
    long percentile(double q) {
        long[] c = new long[counts.length()];
        long total = 0;
        for (int i = 0; i < c.length; i++) total += (c[i] = counts.get(i));
        if (total == 0) return 0;
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < c.length; i++) {
            seen += c[i];
            if (seen >= rank) return upper(i);
        }
        return upper(c.length - 1);
    }
}
