package org.cairndb.client;

/** A record was not written by Cairn's object layer (no record header: e.g. a ZODB pickle imported by the migrate tool) and cannot be loaded as an object. */
public class ForeignRecordException extends ObjectLayerException {
    public ForeignRecordException(String message) {
        super(message);
    }

    public ForeignRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
