package org.cairndb.tasks;

import java.time.Instant;

/**
 * A job as of one snapshot: for {@code q.status(id)} (an application's polling page) and
 * {@code cairn tasks show}. Times are epoch milliseconds, 0 when not yet reached.
 */
public record TaskStatus(
        TaskId id,
        String queue,
        TaskState state,
        int attempts,
        int maxAttempts,
        int priority,
        long createdAt,
        long dueAt,
        long startedAt,
        long finishedAt,
        String worker,
        Object result,
        String lastError,
        boolean cancelRequested,
        String idempotencyKey,
        String schedule,
        String payload) {

    public boolean isFinal() {
        return state.isFinal();
    }

    /** One line for listings: id, state, attempts, due or finish time, last error. */
    public String summary() {
        StringBuilder b = new StringBuilder()
                .append(id)
                .append(' ')
                .append(state)
                .append(" attempts=")
                .append(attempts)
                .append('/')
                .append(maxAttempts)
                .append(" priority=")
                .append(priority);
        if (state == TaskState.PENDING) b.append(" due=").append(Instant.ofEpochMilli(dueAt));
        if (finishedAt != 0) b.append(" finished=").append(Instant.ofEpochMilli(finishedAt));
        if (worker != null && state == TaskState.RUNNING) b.append(" worker=").append(worker);
        if (lastError != null) b.append(" error=").append(lastError);
        return b.toString();
    }
}
