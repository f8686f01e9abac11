package org.cairndb.server;

import java.util.ArrayDeque;
import java.util.function.IntConsumer;

/**
 * The commit queue: the order in which this server's clients vote on one single-writer
 * storage, first come, first served, by the moment the event loop dispatched the VOTE frame.
 * It is ZEO's server-side commit lock with its queue of waiting transactions (the storage
 * server's lock manager, whose waiters get the lock when the holder finishes or aborts); one
 * name for it everywhere: {@code cairn status} reports its length as "commit queue".
 *
 * <h2>Why, when the storage has a FIFO commit lock</h2>
 * Votes run on worker threads; two votes dispatched in one order could reach the storage's
 * {@code CommitLock.acquire} in the other (thread scheduling), so arrival order would not be
 * commit order. The queue admits one vote at a time, in dispatch order, and holds it until
 * that transaction releases the storage's commit lock (in finish, before a persisted
 * {@code mem:} waits for its group journal force, so the next commits can join that force) or
 * aborts; the next vote is then handed to a worker by the release itself. Waiting votes hold
 * no thread at all (a queue of tasks, not of blocked
 * workers), so a hundred queued commits cost no hundred threads. The storage's lock is still
 * taken at vote, uncontended by this server's clients.
 *
 * <p>Storages with several writers ({@code MULTI_WRITER}) are not gated: commits of disjoint
 * objects proceed in parallel there, and the storage orders them itself.
 *
 * <p>A vote whose connection drops while it waits is taken out of the queue ({@link #cancel}),
 * so the votes behind it do not wait for it. CommitQueueOrderTest and CommitQueueTest prove the order
 * and the wake-ups (the conformance kit cannot observe arrival at a server from a client).
 */
final class CommitQueue {
    private final boolean enabled;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private boolean busy;
    private volatile IntConsumer queueObserver = n -> {};

    CommitQueue(boolean enabled) {
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    /** Runs {@code admitted} now if the queue is free, else when every earlier vote has left. */
    void enter(Runnable admitted) {
        if (enabled) {
            int n;
            synchronized (this) {
                if (busy) {
                    waiting.addLast(admitted);
                    n = waiting.size();
                } else {
                    busy = true;
                    n = -1;
                }
            }
            if (n >= 0) {
                queueObserver.accept(n);
                return;
            }
        }
        admitted.run();
    }

    /**
     * Takes a waiting vote out of the queue (its connection dropped): the votes behind it move
     * up, and it never runs. False when it is not waiting (already admitted, or never queued).
     */
    boolean cancel(Runnable waiting) {
        int n;
        synchronized (this) {
            if (!this.waiting.removeFirstOccurrence(waiting)) return false;
            n = this.waiting.size();
        }
        queueObserver.accept(n);
        return true;
    }

    /** The admitted transaction is over (finished, aborted, failed vote): admit the next. */
    void leave() {
        if (!enabled) return;
        Runnable next;
        int n;
        synchronized (this) {
            next = waiting.pollFirst();
            if (next == null) busy = false;
            n = waiting.size();
        }
        if (next != null) {
            queueObserver.accept(n);
            next.run();
        }
    }

    /** Told the queue length after every change (tests wait on it instead of polling). */
    void observeQueue(IntConsumer observer) {
        queueObserver = observer == null ? n -> {} : observer;
    }

    synchronized int queueLength() {
        return waiting.size();
    }
}
