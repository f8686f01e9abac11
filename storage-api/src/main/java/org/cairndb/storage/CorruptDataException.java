package org.cairndb.storage;

/** Stored or received bytes do not have the expected layout; says where and what was expected. */
public class CorruptDataException extends StorageException {
    public CorruptDataException(String message) {
        super(message);
    }

    public CorruptDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
