package org.cairndb.tasks;

import org.cairndb.client.Persistent;

/**
 * A worker's lease: renewed by a timer in the worker (a third of the lease period), written
 * by that worker only. Jobs it runs point at it; when it has run out, the worker is presumed
 * dead and its jobs (and a serial queue's slot) may be taken over.
 */
final class WorkerLease extends Persistent {
    String worker;
    long expiresAt;
    boolean stopped;

    WorkerLease() {}

    WorkerLease(String worker, long expiresAt) {
        this.worker = worker;
        this.expiresAt = expiresAt;
    }

    long expiresAt() {
        activate();
        return expiresAt;
    }

    String worker() {
        activate();
        return worker;
    }

    boolean alive(long now) {
        activate();
        return !stopped && expiresAt > now;
    }

    void renew(long until) {
        changing();
        expiresAt = until;
    }

    void stop() {
        changing();
        stopped = true;
    }
}
