package org.cairndb.bench.storage;

import java.util.Arrays;

/** Latency samples of one thread (nanoseconds), merged at the end for percentiles. */
final class Latencies {
    private long[] samples = new long[1 << 16];
    private int size;

    void add(long nanos) {
        if (size == samples.length) samples = Arrays.copyOf(samples, size * 2);
        samples[size++] = nanos;
    }

    void addAll(Latencies other) {
        for (int i = 0; i < other.size; i++) add(other.samples[i]);
    }

    /** Total of the samples, nanoseconds. */
    long sum() {
        long t = 0;
        for (int i = 0; i < size; i++) t += samples[i];
        return t;
    }

    static long[] merged(Iterable<Latencies> all) {
        int n = 0;
        for (Latencies l : all) n += l.size;
        long[] out = new long[n];
        int at = 0;
        for (Latencies l : all) {
            System.arraycopy(l.samples, 0, out, at, l.size);
            at += l.size;
        }
        Arrays.sort(out);
        return out;
    }

    /** The q-quantile of sorted samples in microseconds (0 when there are none). */
    static double percentileMicros(long[] sorted, double q) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1000.0;
    }
}
