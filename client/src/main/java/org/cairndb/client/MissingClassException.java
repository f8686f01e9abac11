package org.cairndb.client;

/** A record names a class that is not on the class path; the message names the class and the oid. */
public class MissingClassException extends ObjectLayerException {
    public MissingClassException(String message) {
        super(message);
    }

    public MissingClassException(String message, Throwable cause) {
        super(message, cause);
    }
}
