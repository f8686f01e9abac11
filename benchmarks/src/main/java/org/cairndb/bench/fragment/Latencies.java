package org.cairndb.bench.fragment;

import java.util.Arrays;
import java.util.Locale;

/** Samples in nanoseconds from several threads → percentiles in microseconds, and throughput. */
final class Latencies {
    final long[] sorted;
    final double opsPerSec;

    Latencies(long[][] perThread, long wallNanos) {
        int n = 0;
        for (long[] a : perThread) n += a.length;
        sorted = new long[n];
        int at = 0;
        for (long[] a : perThread) {
            System.arraycopy(a, 0, sorted, at, a.length);
            at += a.length;
        }
        Arrays.sort(sorted);
        opsPerSec = n / (wallNanos / 1e9);
    }

    double us(double q) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return sorted[i] / 1000.0;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, v < 10 ? "%.2f" : "%.1f", v);
    }

    String line() {
        return "p50 " + fmt(us(0.5)) + " us, p99 " + fmt(us(0.99)) + " us, "
                + String.format(Locale.ROOT, "%.0f", opsPerSec) + " ops/s";
    }
}
