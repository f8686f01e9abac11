package org.cairndb.client.remote;

import org.cairndb.storage.StorageException;

/**
 * The connection to the server was lost while a commit's FINISH was in flight, and afterwards
 * nobody could tell whether the transaction committed (the server was restarted and other
 * commits followed, or it could not be reached again in time). Not retryable on purpose: a
 * blind retry could commit the same changes twice. Read the objects the transaction wrote
 * (they show whether it happened), then decide.
 */
public final class CommitOutcomeUnknownException extends StorageException {
    private final long voteTid;

    CommitOutcomeUnknownException(String message, long voteTid, Throwable cause) {
        super(message, cause);
        this.voteTid = voteTid;
    }

    /** The storage's last tid when the transaction voted: if it committed, its tid is greater. */
    public long voteTid() {
        return voteTid;
    }
}
