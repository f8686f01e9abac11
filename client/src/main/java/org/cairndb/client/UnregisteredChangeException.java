package org.cairndb.client;

/**
 * A commit found loaded objects whose state changed without being registered, in the
 * {@link UnregisteredChanges#FAIL} debug mode: without it the change would be lost. The
 * message names the class, oid and fields of the first one (all are logged); nothing was committed.
 */
public class UnregisteredChangeException extends ObjectLayerException {
    public UnregisteredChangeException(String message) {
        super(message);
    }
}
