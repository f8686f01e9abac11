package org.cairndb.protocol;

import org.cairndb.storage.StorageException;

/**
 * A frame that breaks the protocol: oversize, truncated, unknown op, bad handshake. The
 * receiving side answers with an ERROR frame naming the problem and closes the connection.
 */
public class ProtocolException extends StorageException {
    public ProtocolException(String message) {
        super(message);
    }
}
