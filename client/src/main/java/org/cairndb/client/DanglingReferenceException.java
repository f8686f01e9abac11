package org.cairndb.client;

/** An object refers to an oid that no longer exists in the storage; the message names the referring object and field. */
public class DanglingReferenceException extends ObjectLayerException {
    public DanglingReferenceException(String message) {
        super(message);
    }

    public DanglingReferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
