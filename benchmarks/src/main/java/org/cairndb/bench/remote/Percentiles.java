package org.cairndb.bench.remote;

import java.util.Arrays;

/** Sorted samples in nanoseconds → percentiles in microseconds. */
final class Percentiles {
    private final long[] sorted;

    Percentiles(long[] samples, int n) {
        sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
    }

    int count() {
        return sorted.length;
    }

    double us(double q) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return sorted[i] / 1000.0;
    }

    static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.1f", v);
    }
}
