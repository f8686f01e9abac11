package org.cairndb.remote;

import org.cairndb.storage.Loaded;

/**
 * A record of {@code oid} on its way to the cache: a load in flight, or (one per record, in a
 * {@link CommitWatch}) a record written by a transaction whose FINISH is in flight. The thread
 * reading the connection raises {@link #invalidatedTid} when an invalidation of the oid
 * arrives before the answer, and the record is then only cached if it is at least that new.
 * See {@link RemoteStorage}'s essay on the load-versus-invalidation race. Chained per oid
 * ({@link #next}) for concurrent watches of one object.
 */
final class OidWatch implements AnswerWatch {
    final long oid;
    /** Highest invalidation tid of {@link #oid} seen while the watch was registered; reading thread only
     * (one at a time, handed over under ClientConnection's lock). */
    long invalidatedTid;
    /** For a view's load: the view's tid (0 otherwise). */
    long viewTid;
    /** The decoded answer, set by the reading thread before the caller is woken. */
    volatile Loaded loaded;

    OidWatch next;

    OidWatch(long oid) {
        this.oid = oid;
    }

    @Override
    public void answered(RemoteStorage owner, org.cairndb.protocol.Frame answer) {
        owner.applyLoadAnswer(this, answer);
    }
}
