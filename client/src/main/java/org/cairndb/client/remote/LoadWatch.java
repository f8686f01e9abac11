package org.cairndb.client.remote;

import org.cairndb.storage.Loaded;

/**
 * A load of {@code oid} in flight: the thread reading the connection raises {@link #invalidatedTid} when an
 * invalidation of the oid arrives before the answer, and the answer is then only cached if
 * it is at least that new. See {@link RemoteStorage}'s essay on the load-versus-invalidation
 * race. Chained per oid ({@link #next}) for the rare concurrent loads of one object.
 */
final class LoadWatch implements AnswerWatch {
    final long oid;
    /** Highest invalidation tid of {@link #oid} seen while the load was in flight; reading thread only
     * (one at a time, handed over under ClientConnection's lock). */
    long invalidatedTid;
    /** For a view's load: the view's tid (0 otherwise). */
    long viewTid;
    /** The decoded answer, set by the reading thread before the caller is woken. */
    volatile Loaded loaded;
    LoadWatch next;

    LoadWatch(long oid) {
        this.oid = oid;
    }

    @Override
    public void answered(RemoteStorage owner, org.cairndb.protocol.Frame answer) {
        owner.applyLoadAnswer(this, answer);
    }
}
