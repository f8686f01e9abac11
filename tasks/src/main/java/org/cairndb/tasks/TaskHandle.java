package org.cairndb.tasks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * A submitted job: its id (the oid of its record; keep {@code id().toString()} in a page or a
 * request to find it again) and ways to learn its outcome.
 */
public final class TaskHandle {
    private final TaskQueue queue;
    private final TaskId id;

    TaskHandle(TaskQueue queue, TaskId id) {
        this.queue = queue;
        this.id = id;
    }

    public TaskId id() {
        return id;
    }

    public TaskQueue queue() {
        return queue;
    }

    /** The job's state as of the latest commit (for a polling page). */
    public TaskStatus status() {
        return queue.status(id);
    }

    /** Completes with the job's final status when the commit that ends it is seen (an event from the storage's commit stream). */
    public CompletableFuture<TaskStatus> completion() {
        return queue.completion(id);
    }

    /**
     * Waits for the job to end and returns its result. The wait ends on the commit that
     * stores the outcome; the timeout is a timer.
     *
     * @throws TaskFailedException  the job ended dead (its last error is in the message) or cancelled
     * @throws TimeoutException     it did not end in time (it may still run)
     */
    @SuppressWarnings("unchecked")
    public <R> R await(Duration timeout) throws TimeoutException, InterruptedException {
        CompletableFuture<TaskStatus> f = queue.completion(id);
        queue.timeout(f, id, timeout);
        TaskStatus s;
        try {
            s = f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException t) throw t;
            throw new IllegalStateException("waiting for task " + id + " failed: " + e.getCause(), e.getCause());
        }
        if (s.state() != TaskState.SUCCEEDED) throw new TaskFailedException(s);
        return (R) s.result();
    }

    @Override
    public String toString() {
        return "task " + id + " of queue '" + queue.name() + "'";
    }
}
