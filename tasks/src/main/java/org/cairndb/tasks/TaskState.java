package org.cairndb.tasks;

/** Where a job is in its life. PENDING and RUNNING are live; the others are final. */
public enum TaskState {
    /** Waiting to run: ready now or due later (delayed, scheduled, or backing off before a retry). */
    PENDING,
    /** Claimed by a worker, which holds a lease on it. */
    RUNNING,
    /** The handler returned; the result is stored. */
    SUCCEEDED,
    /** Every attempt failed (or the job timed out on its last one): the dead-letter state, with the last error. */
    DEAD,
    /** Cancelled before it completed. */
    CANCELLED;

    public boolean isFinal() {
        return this == SUCCEEDED || this == DEAD || this == CANCELLED;
    }
}
