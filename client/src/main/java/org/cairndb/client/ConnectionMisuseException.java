package org.cairndb.client;

/** An object or connection was used where it cannot be: a closed connection, an object of another connection, a connection used from a thread other than its own. */
public class ConnectionMisuseException extends ObjectLayerException {
    public ConnectionMisuseException(String message) {
        super(message);
    }

    public ConnectionMisuseException(String message, Throwable cause) {
        super(message, cause);
    }
}
