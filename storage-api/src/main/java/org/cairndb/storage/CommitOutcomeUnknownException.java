package org.cairndb.storage;

/**
 * A commit's outcome could not be learned: the connection (to a Cairn server, or to
 * PostgreSQL) was lost while the commit was in flight, and afterwards nobody could tell
 * whether the transaction committed (the server was restarted and other commits followed,
 * or it could not be reached again in time). Not retryable on purpose: a blind retry could
 * commit the same changes twice. Read the objects the transaction wrote (they show whether
 * it happened), then decide.
 */
public class CommitOutcomeUnknownException extends StorageException {
    private final long voteTid;

    public CommitOutcomeUnknownException(String message, long voteTid, Throwable cause) {
        super(message, cause);
        this.voteTid = voteTid;
    }

    /** A tid the storage had published before this commit: if the transaction committed, its tid is greater. */
    public long voteTid() {
        return voteTid;
    }
}
