package org.cairndb.storage;

/**
 * The SPI was called out of order or with bad arguments: a store outside a transaction,
 * finish before vote, a store after vote, a negative count... A bug in the caller;
 * not retryable.
 */
public class StorageMisuseException extends StorageException {
    public StorageMisuseException(String message) {
        super(message);
    }
}
