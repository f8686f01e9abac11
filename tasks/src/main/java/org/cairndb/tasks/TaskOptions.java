package org.cairndb.tasks;

import java.time.Duration;
import java.time.Instant;

/**
 * Options of one submitted job; unset ones come from the queue's {@link QueueConfig}.
 *
 * <pre>{@code
 * q.submit(new Lookup(isbn), TaskOptions.defaults().priority(5).delay(Duration.ofMinutes(1)).idempotencyKey("isbn:" + isbn));
 * }</pre>
 */
public record TaskOptions(
        int priority, Instant notBefore, int maxAttempts, Duration backoff, Duration timeout, String idempotencyKey) {
    public static TaskOptions defaults() {
        return new TaskOptions(0, null, 0, null, null, null);
    }

    /** Higher runs first among ready jobs (default 0); equal priorities run oldest first. */
    public TaskOptions priority(int p) {
        return new TaskOptions(p, notBefore, maxAttempts, backoff, timeout, idempotencyKey);
    }

    /** Runs no earlier than {@code when}. */
    public TaskOptions notBefore(Instant when) {
        return new TaskOptions(priority, when, maxAttempts, backoff, timeout, idempotencyKey);
    }

    /** Runs no earlier than {@code d} after the submit. */
    public TaskOptions delay(Duration d) {
        return notBefore(Instant.now().plus(d));
    }

    public TaskOptions maxAttempts(int n) {
        if (n < 1) throw new IllegalArgumentException("maxAttempts must be at least 1, was " + n);
        return new TaskOptions(priority, notBefore, n, backoff, timeout, idempotencyKey);
    }

    public TaskOptions backoff(Duration first) {
        return new TaskOptions(priority, notBefore, maxAttempts, first, timeout, idempotencyKey);
    }

    public TaskOptions timeout(Duration perAttempt) {
        return new TaskOptions(priority, notBefore, maxAttempts, backoff, perAttempt, idempotencyKey);
    }

    /** A second submit with the same key, while the first job is kept, returns the first job's handle and enqueues nothing. */
    public TaskOptions idempotencyKey(String key) {
        return new TaskOptions(priority, notBefore, maxAttempts, backoff, timeout, key);
    }
}
