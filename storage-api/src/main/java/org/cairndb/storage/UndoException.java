package org.cairndb.storage;

/** A transaction cannot be undone (its objects changed since and the changes cannot be merged, or it is unknown). */
public class UndoException extends StorageException {
    public UndoException(String message) {
        super(message);
    }
}
