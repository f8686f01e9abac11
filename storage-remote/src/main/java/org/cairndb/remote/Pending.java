package org.cairndb.remote;

import java.util.concurrent.locks.Condition;
import org.cairndb.protocol.Frame;

/**
 * A request waiting for its answer. Completed once: by the thread reading the connection
 * when the answer arrives, or failed on a drop, on close or at its deadline. Every field is
 * guarded by the {@link ClientConnection}'s lock; {@link #wake} exists only while its caller
 * waits as a follower, and completing signals it.
 */
final class Pending {
    final AnswerWatch watch;
    private Frame answer;
    private RuntimeException error;
    Condition wake;

    Pending(AnswerWatch watch) {
        this.watch = watch;
    }

    boolean done() {
        return answer != null || error != null;
    }

    /** Completes with the answer, unless it is already done (its caller gave up or it failed). */
    void answer(Frame f) {
        if (done()) return;
        answer = f;
        if (wake != null) wake.signal();
    }

    /** Completes with the error, unless it is already done. */
    void fail(RuntimeException e) {
        if (done()) return;
        error = e;
        if (wake != null) wake.signal();
    }

    /** The answer, or the error it failed with; only after {@link #done()} was seen under the lock. */
    Frame result() {
        if (error != null) throw error;
        return answer;
    }
}
