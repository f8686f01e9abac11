package org.cairndb.storage.uri;

import org.cairndb.storage.StorageException;

/** A storage URI that cannot be opened: names the URI and what is wrong with it. */
public class InvalidStorageUriException extends StorageException {
    public InvalidStorageUriException(String uri, String problem) {
        super(Secrets.mask("storage URI '" + uri + "': " + problem));
    }
}
