package org.cairndb.tasks;

import java.util.Arrays;
import org.cairndb.client.Persistent;

/**
 * A queue's rate limit, shared by all its workers: the start times of the last {@code limit}
 * claims in a ring. A claim may start when the oldest of them is at least a period ago.
 * Only rate-limited queues have one, and only their claims write it.
 */
final class RateWindow extends Persistent {
    long[] starts;
    int next;
    long periodMillis;

    RateWindow() {}

    RateWindow(int limit, long periodMillis) {
        this.starts = new long[limit];
        Arrays.fill(starts, Long.MIN_VALUE / 2);
        this.periodMillis = periodMillis;
    }

    /** When the next claim may start (now or later). */
    long nextAllowed(long now) {
        activate();
        return Math.max(now, starts[next] + periodMillis);
    }

    void take(long now) {
        changing();
        starts[next] = now;
        next = (next + 1) % starts.length;
    }
}
