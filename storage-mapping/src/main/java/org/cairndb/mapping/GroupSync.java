package org.cairndb.mapping;

import org.cairndb.storage.StorageException;

/**
 * Group commit for a persisted {@code mem:}: committers that finish close together share one
 * force of the commit journal, and each commit is published (made visible, told to listeners)
 * only after a force that covers it, in tid order.
 *
 * <h2>Protocol</h2>
 * Under the commit lock a commit appends its journal slot (not forced), changes the map without
 * publishing its tid, and tells this class its tid ({@link #written}); it then releases the
 * commit lock, so the next transaction can vote and append, and calls {@link #await}. The first
 * waiter to find no force running becomes the leader: it takes the last tid written so far as
 * its target, forces the journal (outside any lock of ours), publishes every commit up to the
 * target in order, and wakes the waiters. A waiter whose tid the target covered returns; one
 * that came after waits for the force that covers it, whose leader is the first of them to
 * wake. Waiting is on the leader's notification (an event), never a timer: nobody delays a
 * sync to gather more committers; the batch is whoever arrived while the previous one ran.
 *
 * <h2>What a crash sees</h2>
 * A reader sees a commit only once it is published, i.e. after its slot was forced; so does
 * the committer (its finish returns then), and a client of a server (the FINISH answer comes
 * after finish). A {@code kill -9} before that keeps or loses the unacknowledged commit
 * wholly (the journal redo at open), never a part, and never an acknowledged one.
 *
 * <h2>A failed force</h2>
 * The commits it covered are applied in memory but not known durable: they are never
 * published, this and every later commit fail with the force's error, and the storage must be
 * reopened (which keeps each of them wholly or not at all).
 *
 * <h2>Alternatives rejected</h2>
 * A timed batching window (wait N µs for company): it adds latency to a lone writer and is a
 * timer deciding when a request proceeds. A dedicated sync thread: one more hand-off per commit
 * for the lone writer, who here syncs on its own thread.
 */
final class GroupSync {
    /** What the leader does: force what was written, then publish commits up to a tid. */
    interface Work {
        /** Forces every journal slot written so far. */
        void force();

        /** Publishes, in order, every commit applied with a tid up to {@code tid}. */
        void publishUpTo(long tid);
    }

    private final Work work;
    /** The last tid applied and appended (its slot written, maybe not forced). */
    private long written;
    /** The last tid forced and published. */
    private long published;

    private boolean leading;
    private RuntimeException failure;

    GroupSync(Work work, long lastTid) {
        this.work = work;
        this.written = lastTid;
        this.published = lastTid;
    }

    /** The commit of {@code tid} is applied and its slot appended. Called holding the commit lock. */
    synchronized void written(long tid) {
        written = tid;
    }

    /** The last tid applied (published or not); the next commit's tid must exceed it. */
    synchronized long lastWritten() {
        return written;
    }

    /** True while a commit is applied but not yet published. */
    synchronized boolean pending() {
        return written != published;
    }

    /**
     * Returns when the commit of {@code tid} is durable and published, forcing the journal
     * itself if no force is running.
     *
     * @throws StorageException if the force failed (now or earlier): the storage must be reopened
     */
    void await(long tid) {
        boolean interrupted = false;
        try {
            while (true) {
                long target;
                synchronized (this) {
                    while (true) {
                        if (failure != null) throw failed();
                        if (Long.compareUnsigned(published, tid) >= 0) return;
                        if (Long.compareUnsigned(tid, written) > 0) {
                            throw new IllegalStateException(
                                    "tid " + Long.toHexString(tid) + " awaited before it was written");
                        }
                        if (!leading) break;
                        try {
                            wait(); // woken by the leader's notifyAll when its force and publication are done
                        } catch (InterruptedException e) {
                            interrupted = true; // the commit is applied: it is published or failed, never abandoned
                        }
                    }
                    leading = true;
                    target = written;
                }
                lead(target);
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** Forces and publishes up to {@code target} as the leader, then wakes the waiters. */
    private void lead(long target) {
        RuntimeException error = null;
        try {
            work.force();
            work.publishUpTo(target);
        } catch (RuntimeException e) {
            error = e;
        } finally {
            synchronized (this) {
                leading = false;
                if (error == null) published = target;
                else failure = error;
                notifyAll();
            }
        }
        if (error != null) throw failed();
    }

    /** Throws if an earlier force failed: no commit may start on a storage that lost track of durability. */
    synchronized void checkHealthy() {
        if (failure != null) throw failed();
    }

    private StorageException failed() {
        return new StorageException(failure.getMessage(), failure);
    }
}
