package org.cairndb.storage;

/** A write was attempted on a storage or connection opened read-only. */
public class ReadOnlyException extends StorageException {
    public ReadOnlyException(String message) {
        super(message);
    }
}
