package org.cairndb.remote;

import org.cairndb.protocol.Frame;

/**
 * What a request leaves to the thread that reads its answer: applied there, in wire order with
 * the invalidations around it, before the caller is woken. Loads cache their answer this way
 * ({@link OidWatch}), a commit the records it wrote ({@link CommitWatch}).
 */
interface AnswerWatch {
    void answered(RemoteStorage owner, Frame answer);
}
