package org.cairndb.protocol;

import org.cairndb.storage.StorageException;

/** The server refused the credentials (or their absence); says which and what to do. */
public class AuthenticationException extends StorageException {
    public AuthenticationException(String message) {
        super(message);
    }
}
