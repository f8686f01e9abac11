package org.cairndb.bench.objects;

import java.util.Arrays;
import java.util.Locale;

/**
 * The samples of one shootout phase, in objects (or rows) per second: each sample is the sum
 * over the concurrent workers of {@code objects / seconds} for one transaction of each.
 * Reported as the mean with the sample standard deviation, as zodbshootout reports means.
 */
final class PhaseStats {
    private final double[] samples;
    private int count;

    PhaseStats(int capacity) {
        samples = new double[capacity];
    }

    synchronized void add(double rate) {
        samples[count++] = rate;
    }

    synchronized int count() {
        return count;
    }

    synchronized double mean() {
        if (count == 0) return Double.NaN;
        double sum = 0;
        for (int i = 0; i < count; i++) sum += samples[i];
        return sum / count;
    }

    /** Sample standard deviation; 0 with one sample. */
    synchronized double stdev() {
        if (count < 2) return 0;
        double m = mean();
        double sq = 0;
        for (int i = 0; i < count; i++) sq += (samples[i] - m) * (samples[i] - m);
        return Math.sqrt(sq / (count - 1));
    }

    synchronized double min() {
        return count == 0 ? Double.NaN : Arrays.stream(samples, 0, count).min().orElseThrow();
    }

    synchronized double max() {
        return count == 0 ? Double.NaN : Arrays.stream(samples, 0, count).max().orElseThrow();
    }

    /** {@code 12345 ±678 (min-max 11000-13000)} for the human line. */
    String describe() {
        return String.format(Locale.ROOT, "%.0f ±%.0f (%.0f-%.0f)", mean(), stdev(), min(), max());
    }
}
