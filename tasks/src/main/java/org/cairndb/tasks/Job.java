package org.cairndb.tasks;

import org.cairndb.client.Persistent;
import org.cairndb.client.conflict.Resolvable;

/**
 * One job: its payload, options, state, lease and outcome, in a record of its own, so
 * claiming and completing a job writes this object (and the queue's sharded indexes) and
 * nothing every other claim writes too.
 *
 * <p>Every change of state bumps {@code version}; a cancel request of a running job sets
 * {@code cancelRequested} only. {@link #resolve} merges exactly that case (one side asked to
 * cancel, the other changed state), so an application's cancel never conflicts with a
 * worker's claim or completion; any two changes of state still conflict, which is what
 * stops a worker whose lease was taken over from completing the job a second time.
 */
final class Job extends Persistent implements Resolvable<Job> {
    String queue;
    Object payload;
    int priority;
    long createdAt;
    long dueAt;
    int maxAttempts;
    long backoffMillis;
    long timeoutMillis;
    String idempotencyKey;
    /** For a scheduled job: its schedule's name and cron expression (the next occurrence is submitted when it ends). */
    String scheduleName;

    String cron;
    /** For a scheduled job: the cron time it was made for (its due time may move: retries, a retry by hand). */
    long scheduledAt;

    TaskState state = TaskState.PENDING;
    long version;
    int attempts;
    String owner;
    WorkerLease ownerLease;
    long claimedAt;
    long startedAt;
    long finishedAt;
    Object result;
    String lastError;
    boolean cancelRequested;

    Job() {}

    TaskState state() {
        activate();
        return state;
    }

    Object payload() {
        activate();
        return payload;
    }

    int priority() {
        activate();
        return priority;
    }

    long dueAt() {
        activate();
        return dueAt;
    }

    long createdAt() {
        activate();
        return createdAt;
    }

    long timeoutMillis() {
        activate();
        return timeoutMillis;
    }

    WorkerLease ownerLease() {
        activate();
        return ownerLease;
    }

    String owner() {
        activate();
        return owner;
    }

    long claimedAt() {
        activate();
        return claimedAt;
    }

    long version() {
        activate();
        return version;
    }

    boolean cancelRequested() {
        activate();
        return cancelRequested;
    }

    int attempts() {
        activate();
        return attempts;
    }

    /** Claims the job for {@code lease}'s worker (a first run, or a take-over after its last owner's lease ran out). */
    void claim(WorkerLease lease, String worker, long now) {
        changing();
        state = TaskState.RUNNING;
        owner = worker;
        ownerLease = lease;
        claimedAt = now;
        if (startedAt == 0) startedAt = now;
        attempts++;
        version++;
    }

    void succeed(Object value, long now) {
        changing();
        state = TaskState.SUCCEEDED;
        result = value;
        finishedAt = now;
        ownerLease = null;
        version++;
    }

    /** Records a failed attempt: back to PENDING after a backoff, or DEAD when the attempts are used up. */
    void fail(String error, long now) {
        changing();
        lastError = error;
        ownerLease = null;
        version++;
        if (attempts >= maxAttempts) {
            state = TaskState.DEAD;
            finishedAt = now;
        } else {
            state = TaskState.PENDING;
            long backoff = backoffMillis << Math.min(20, Math.max(0, attempts - 1));
            dueAt = now + Math.min(backoff, 3_600_000L);
        }
    }

    void cancel(long now) {
        changing();
        state = TaskState.CANCELLED;
        finishedAt = now;
        ownerLease = null;
        version++;
    }

    void requestCancel() {
        changing();
        cancelRequested = true;
    }

    /** Puts a dead or cancelled job back in line, with its attempts counted from zero. */
    void retry(long now) {
        changing();
        state = TaskState.PENDING;
        attempts = 0;
        dueAt = now;
        finishedAt = 0;
        cancelRequested = false;
        version++;
    }

    TaskStatus status() {
        activate();
        return new TaskStatus(
                new TaskId(oid()),
                queue,
                state,
                attempts,
                maxAttempts,
                priority,
                createdAt,
                dueAt,
                startedAt,
                finishedAt,
                owner,
                result,
                lastError,
                cancelRequested,
                idempotencyKey,
                scheduleName,
                String.valueOf(payload));
    }

    @Override
    public Job resolve(Job ancestor, Job committed, Job mine) {
        if (ancestor == null) return null;
        if (mine.version == ancestor.version && mine.cancelRequested && !ancestor.cancelRequested) {
            committed.cancelRequested = true; // my cancel request onto their change of state
            return committed;
        }
        if (committed.version == ancestor.version && committed.cancelRequested && !ancestor.cancelRequested) {
            mine.cancelRequested = true; // their cancel request onto my change of state
            return mine;
        }
        return null;
    }
}
