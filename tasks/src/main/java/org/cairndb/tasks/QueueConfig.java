package org.cairndb.tasks;

import java.time.Duration;

/**
 * How a queue runs its jobs, stored with the queue and obeyed by every worker of it.
 *
 * @param serial      at most one job of the queue runs at a time, across all workers and processes
 * @param rateLimit   at most this many job starts per {@code ratePeriod} across all workers (0: no limit)
 * @param ratePeriod  the rate limit's window
 * @param maxAttempts attempts of a job before it is dead (1: no retry); a job's own option overrides it
 * @param backoff     the wait before the first retry, doubled for each further one (capped at an hour)
 * @param timeout     how long one attempt may run before it is failed (zero: no limit)
 */
public record QueueConfig(
        boolean serial, int rateLimit, Duration ratePeriod, int maxAttempts, Duration backoff, Duration timeout) {
    public QueueConfig {
        if (rateLimit < 0)
            throw new IllegalArgumentException("rate limit must be 0 (none) or positive, was " + rateLimit);
        if (ratePeriod.isNegative() || (rateLimit > 0 && ratePeriod.isZero())) {
            throw new IllegalArgumentException("the rate limit's period must be positive, was " + ratePeriod);
        }
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        if (backoff.isNegative() || timeout.isNegative())
            throw new IllegalArgumentException("backoff and timeout cannot be negative");
    }

    /** Parallel, unlimited, 3 attempts, 1 s first backoff, no timeout. */
    public static QueueConfig defaults() {
        return new QueueConfig(false, 0, Duration.ofSeconds(1), 3, Duration.ofSeconds(1), Duration.ZERO);
    }

    public QueueConfig serial(boolean on) {
        return new QueueConfig(on, rateLimit, ratePeriod, maxAttempts, backoff, timeout);
    }

    public QueueConfig rateLimit(int starts, Duration per) {
        return new QueueConfig(serial, starts, per, maxAttempts, backoff, timeout);
    }

    public QueueConfig maxAttempts(int n) {
        return new QueueConfig(serial, rateLimit, ratePeriod, n, backoff, timeout);
    }

    public QueueConfig backoff(Duration first) {
        return new QueueConfig(serial, rateLimit, ratePeriod, maxAttempts, first, timeout);
    }

    public QueueConfig timeout(Duration perAttempt) {
        return new QueueConfig(serial, rateLimit, ratePeriod, maxAttempts, backoff, perAttempt);
    }
}
