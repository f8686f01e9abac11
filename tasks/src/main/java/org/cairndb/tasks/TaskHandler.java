package org.cairndb.tasks;

/**
 * Runs one job. It runs inside a transaction of the worker's connection
 * ({@link TaskContext#connection()}): Cairn objects it changes are committed together with
 * the job's completion, or not at all (exactly-once effects). Return the result (stored with
 * the job; it must be storable like any field value) or throw to fail the attempt.
 */
@FunctionalInterface
public interface TaskHandler<P> {
    Object handle(P payload, TaskContext context) throws Exception;
}
