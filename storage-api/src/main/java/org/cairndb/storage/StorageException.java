package org.cairndb.storage;

/**
 * Root of Cairn's storage errors. Every message says what happened, to which object or
 * transaction, and what the caller can do about it.
 */
public class StorageException extends RuntimeException {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
