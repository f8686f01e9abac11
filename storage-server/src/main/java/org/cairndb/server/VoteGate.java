package org.cairndb.server;

import java.util.ArrayDeque;

/**
 * The order in which this server's clients vote on one single-writer storage: first come,
 * first served, by the moment the event loop dispatched the VOTE frame.
 *
 * <h2>Why, when the storage has a FIFO commit lock</h2>
 * Votes run on worker threads; two votes dispatched in one order could reach the storage's
 * {@code CommitLock.acquire} in the other (thread scheduling), so arrival order would not be
 * commit order. The gate admits one vote at a time, in dispatch order, and holds it until
 * that transaction finishes or aborts; the next vote is then handed to a worker by the
 * release itself. Waiting votes hold no thread at all (a queue of tasks, not of blocked
 * workers), so a hundred queued commits cost no hundred threads. The storage's lock is still
 * taken at vote, uncontended by this server's clients.
 *
 * <p>Storages with several writers ({@code MULTI_WRITER}) are not gated: commits of disjoint
 * objects proceed in parallel there, and the storage orders them itself.
 */
final class VoteGate {
    private final boolean enabled;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private boolean busy;

    VoteGate(boolean enabled) {
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    /** Runs {@code admitted} now if the gate is free, else when every earlier vote has left. */
    void enter(Runnable admitted) {
        if (enabled) {
            synchronized (this) {
                if (busy) {
                    waiting.addLast(admitted);
                    return;
                }
                busy = true;
            }
        }
        admitted.run();
    }

    /**
     * Takes a waiting vote out of the queue (its connection dropped): the votes behind it move
     * up, and it never runs. False when it is not waiting (already admitted, or never queued).
     */
    synchronized boolean cancel(Runnable waiting) {
        return this.waiting.removeFirstOccurrence(waiting);
    }

    /** The admitted transaction is over (finished, aborted, failed vote): admit the next. */
    void leave() {
        if (!enabled) return;
        Runnable next;
        synchronized (this) {
            next = waiting.pollFirst();
            if (next == null) busy = false;
        }
        if (next != null) next.run();
    }

    synchronized int queueLength() {
        return waiting.size();
    }
}
