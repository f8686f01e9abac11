package org.cairndb.storage;

/**
 * The transaction failed for a reason that running it again on a fresh snapshot may cure:
 * a conflict, a lost connection, a restarted server. The failed transaction left no trace.
 * {@code TransactionManager.run(...)} retries these.
 */
public class RetryableException extends StorageException {
    public RetryableException(String message) {
        super(message);
    }

    public RetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
