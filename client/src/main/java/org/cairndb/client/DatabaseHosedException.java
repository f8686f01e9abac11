package org.cairndb.client;

import org.cairndb.storage.StorageException;

/**
 * The database is unusable ("hosed", as ZODB calls it): an earlier commit across several
 * mounts committed on some of them only ({@link PartialCommitException}). Commits and new
 * connections are refused until the database is closed and opened again, so that nothing
 * builds on a half-applied transaction before somebody has looked.
 */
public final class DatabaseHosedException extends StorageException {
    DatabaseHosedException(String message) {
        super(message);
    }
}
