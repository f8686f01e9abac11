package org.cairndb.storage;

/** The storage (or view, or connection) was closed; open a new one to go on. */
public class StorageClosedException extends StorageException {
    public StorageClosedException(String what) {
        super(what + " is closed; open it again to go on");
    }
}
