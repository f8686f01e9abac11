package org.cairndb.client;

import org.cairndb.storage.RetryableException;

/**
 * {@link TransactionManager#run} gave up: every one of its attempts failed with a
 * {@link RetryableException} (a conflict, a lost connection), none committed anything. The
 * cause is the last attempt's failure. Still retryable: running the work again later (or
 * with more attempts) may succeed.
 */
public final class RetriesExhaustedException extends RetryableException {
    private final int attempts;

    RetriesExhaustedException(int attempts, RetryableException last) {
        super(
                "gave up after " + attempts
                        + " attempt(s), each failed with a conflict or a lost connection and committed"
                        + " nothing; the last: " + last.getMessage()
                        + ". Run the work again later, or with more attempts",
                last);
        this.attempts = attempts;
    }

    /** How many times the work was run. */
    public int attempts() {
        return attempts;
    }
}
