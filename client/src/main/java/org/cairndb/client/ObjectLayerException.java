package org.cairndb.client;

import org.cairndb.storage.StorageException;

/** Root of the object layer's errors: misuse of connections and objects, and records that cannot be turned into objects or back. */
public class ObjectLayerException extends StorageException {
    public ObjectLayerException(String message) {
        super(message);
    }

    public ObjectLayerException(String message, Throwable cause) {
        super(message, cause);
    }
}
