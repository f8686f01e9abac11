package org.cairndb.client;

/**
 * A stored record cannot be mapped onto its class as it is now: a field holds a value of a
 * type the field can no longer take (e.g. a {@code String} stored where an {@code int} is
 * declared now). The message names the class, oid and field.
 */
public class SchemaMismatchException extends ObjectLayerException {
    public SchemaMismatchException(String message) {
        super(message);
    }
}
