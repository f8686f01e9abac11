package org.cairndb.remote;

import org.cairndb.protocol.Frame;

/**
 * The records a transaction wrote, watched while its FINISH is in flight: when the answer
 * (the commit's tid) is read, each goes into the record cache as current, unless an
 * invalidation newer than that tid arrived first (a later commit of another client can be
 * pushed before our answer). Filling the cache with what was committed, as ZEO's client does,
 * lets later reads of those objects (after the object cache let them go) stay local.
 */
final class CommitWatch implements AnswerWatch {
    final OidWatch[] watches;
    final byte[][] data;
    /** The reading thread applied the answer (it unwatched everything); read by the caller after it is woken. */
    volatile boolean applied;

    CommitWatch(OidWatch[] watches, byte[][] data) {
        this.watches = watches;
        this.data = data;
    }

    @Override
    public void answered(RemoteStorage owner, Frame answer) {
        owner.applyFinishAnswer(this, answer);
    }
}
