package org.cairndb.tasks;

/** Awaiting a job that ended dead (every attempt failed) or cancelled. */
public class TaskFailedException extends RuntimeException {
    private final transient TaskStatus status;

    public TaskFailedException(TaskStatus status) {
        super("task " + status.id() + " of queue '" + status.queue() + "' ended " + status.state()
                + (status.lastError() != null
                        ? " after " + status.attempts() + " attempt(s); last error: " + status.lastError()
                        : ""));
        this.status = status;
    }

    public TaskStatus status() {
        return status;
    }
}
