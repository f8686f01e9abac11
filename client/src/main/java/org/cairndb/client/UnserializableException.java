package org.cairndb.client;

/** A field of a persistent object holds a value that cannot be stored; the message gives the field path, e.g. {@code Book.cover -> Image.stream (java.io.FileInputStream)}. */
public class UnserializableException extends ObjectLayerException {
    public UnserializableException(String message) {
        super(message);
    }

    public UnserializableException(String message, Throwable cause) {
        super(message, cause);
    }
}
