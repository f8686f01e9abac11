package org.cairndb.storage.spi;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.cairndb.storage.StorageClosedException;

/**
 * A storage's commit lock: held from vote to finish or abort by one transaction at a time.
 *
 * <h2>Why not a ReentrantLock or a Semaphore</h2>
 * Vote and finish of one transaction may run on different threads (a server's event loop
 * and a worker), so ownership cannot be a thread. Waiters must be served in order of
 * arrival (FIFO), each woken by the release that hands the lock to it: a release hands the
 * lock directly to the oldest waiter and signals that waiter's own condition, so no waiter
 * ever wakes on a timer or spins. {@link #close()} wakes every waiter with
 * {@link StorageClosedException}, so no thread stays blocked on a closed storage.
 *
 * <p>Statistics (queue length, total wait) are kept for the server's status report.
 */
public final class CommitLock {
    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private boolean held;
    private boolean closed;
    private long acquisitions;
    private long totalWaitNanos;
    private long maxWaitNanos;

    private static final class Waiter {
        final Condition turn;
        boolean granted;

        Waiter(Condition turn) {
            this.turn = turn;
        }
    }

    public CommitLock(String name) {
        this.name = name;
    }

    /**
     * Blocks until this caller holds the lock.
     *
     * @return nanoseconds waited
     * @throws StorageClosedException if the lock is (or becomes) closed while waiting
     */
    public long acquire() {
        long start = System.nanoTime();
        lock.lock();
        try {
            if (closed) throw new StorageClosedException(name);
            if (!held && queue.isEmpty()) {
                held = true;
                return account(start);
            }
            Waiter me = new Waiter(lock.newCondition());
            queue.addLast(me);
            boolean interrupted = false;
            while (!me.granted && !closed) {
                try {
                    me.turn.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
            if (me.granted) {
                if (interrupted) {
                    handOff();
                    Thread.currentThread().interrupt();
                    throw new StorageClosedException(name + " (commit lock wait interrupted)");
                }
                return account(start);
            }
            queue.remove(me);
            if (interrupted) {
                Thread.currentThread().interrupt();
                throw new StorageClosedException(name + " (commit lock wait interrupted)");
            }
            throw new StorageClosedException(name);
        } finally {
            lock.unlock();
        }
    }

    /** Takes the lock only if it is free and nobody waits. */
    public boolean tryAcquire() {
        lock.lock();
        try {
            if (closed) throw new StorageClosedException(name);
            if (held || !queue.isEmpty()) return false;
            held = true;
            account(System.nanoTime());
            return true;
        } finally {
            lock.unlock();
        }
    }

    private long account(long start) {
        long waited = System.nanoTime() - start;
        acquisitions++;
        totalWaitNanos += waited;
        maxWaitNanos = Math.max(maxWaitNanos, waited);
        return waited;
    }

    /** Releases the lock, handing it to the oldest waiter if there is one. May be called from any thread. */
    public void release() {
        lock.lock();
        try {
            if (!held) throw new IllegalStateException("commit lock of " + name + " released but not held");
            handOff();
        } finally {
            lock.unlock();
        }
    }

    private void handOff() {
        Waiter next = queue.pollFirst();
        if (next == null) {
            held = false;
        } else {
            next.granted = true; // stays held: ownership passes straight to the waiter
            next.turn.signal();
        }
    }

    public boolean isHeld() {
        lock.lock();
        try {
            return held;
        } finally {
            lock.unlock();
        }
    }

    /** Transactions waiting for the lock now. */
    public int queueLength() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    public Stats stats() {
        lock.lock();
        try {
            return new Stats(acquisitions, totalWaitNanos, maxWaitNanos, queue.size(), held);
        } finally {
            lock.unlock();
        }
    }

    public record Stats(long acquisitions, long totalWaitNanos, long maxWaitNanos, int queueLength, boolean held) {}

    /** Wakes every waiter with {@link StorageClosedException}; later acquires fail at once. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            for (Waiter w : queue) w.turn.signal();
        } finally {
            lock.unlock();
        }
    }
}
