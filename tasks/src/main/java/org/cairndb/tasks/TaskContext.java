package org.cairndb.tasks;

import org.cairndb.client.Connection;

/** What a running handler may know and use. */
public interface TaskContext {
    /** The job's id. */
    TaskId id();

    /** Which attempt this is, from 1. */
    int attempt();

    /** The worker's connection; changes made through it commit with the job's completion. */
    Connection connection();

    /** True once the job was cancelled or timed out: stop early (the thread is interrupted too). */
    boolean stopRequested();
}
