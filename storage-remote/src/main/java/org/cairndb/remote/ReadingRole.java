package org.cairndb.remote;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The reading role of a {@link ClientConnection}: which thread reads the socket, who waits for
 * it, and to whom it passes when its holder lets go. Kept apart from the connection (which
 * decides when to take, follow and hand off: see its design note) so the rules of the role can
 * be read and tested on their own, without a socket.
 *
 * <h2>Invariants</h2>
 * Every field is guarded by {@link #lock} (the connection's one lock, which also guards every
 * {@link Pending}'s outcome); every method but {@link #holder()} must be called with it held.
 * <ul>
 * <li>At most one thread holds the role ({@link #holder}), and only that thread reads frames;
 *     the role changes hands under the lock, so each holder sees everything its predecessor
 *     dispatched.</li>
 * <li>At most one link of a connection has a holder at a time: the background thread dials the
 *     next link only after the last holder of the dead one let go, so one role serves every
 *     link in turn.</li>
 * <li>{@link #followers} holds exactly the callers waiting on their {@link Pending#wake} for
 *     an answer or the role; {@link #bellWaiting} is true exactly while the rung background
 *     thread waits on {@link #roleFree}.</li>
 * <li>When the role becomes free, {@link #handOff()} tells one waiter to take it: the first
 *     follower whose answer has not come, else the rung background thread. It reports when it
 *     told nobody, so that the connection can decide what else must read (a drain thread).</li>
 * </ul>
 */
final class ReadingRole {
    private final ReentrantLock lock;
    /** The thread holding the role, or null. Guarded by lock; volatile so the reconnecting background thread may watch it. */
    private volatile Thread holder;
    /** Callers waiting as followers (their answer not yet seen). Guarded by lock. */
    private final ArrayDeque<Pending> followers = new ArrayDeque<>();
    /** The rung background thread waits here for the role to become free. */
    private final Condition roleFree;
    /** The background thread waits on {@link #roleFree}. Guarded by lock. */
    private boolean bellWaiting;
    /** How often a caller took the role (tests check the role really passes between callers). Written under lock. */
    private volatile long callerLeads;
    /** How often the background thread took it, rung by the doorbell. Written under lock. */
    private volatile long backgroundLeads;

    ReadingRole(ReentrantLock lock) {
        this.lock = lock;
        this.roleFree = lock.newCondition();
    }

    /** The holder, or null; readable without the lock. */
    Thread holder() {
        return holder;
    }

    boolean isFree() {
        assert lock.isHeldByCurrentThread();
        return holder == null;
    }

    /** The current thread takes the free role: as a caller (its own answer to read) or not (the background or a drain thread). */
    void take(boolean byCaller) {
        assert lock.isHeldByCurrentThread() && holder == null;
        holder = Thread.currentThread();
        if (byCaller) callerLeads++;
    }

    /** The background thread, rung by the doorbell, takes the free role. */
    void takeForBell() {
        take(false);
        backgroundLeads++;
    }

    /** The holder lets go; the caller then hands the role off, or (on a dead link) wakes everyone. */
    void free() {
        assert lock.isHeldByCurrentThread();
        holder = null;
    }

    /**
     * The role is free: tells the first follower whose answer has not come, else the rung
     * background thread, to take it. Returns false when it told nobody.
     */
    boolean handOff() {
        assert lock.isHeldByCurrentThread();
        for (Pending f : followers) {
            if (!f.done()) {
                f.wake.signal();
                return true;
            }
        }
        if (bellWaiting) {
            roleFree.signal();
            return true;
        }
        return false;
    }

    /** A caller waits, as a follower, until its answer comes, the role is handed to it, everyone is woken, or {@code nanos} pass. */
    void follow(Pending p, long nanos) throws InterruptedException {
        assert lock.isHeldByCurrentThread();
        if (p.wake == null) p.wake = lock.newCondition();
        followers.add(p);
        try {
            p.wake.awaitNanos(nanos);
        } finally {
            followers.remove(p);
        }
    }

    /** The rung background thread waits until the role is handed to it or everyone is woken. */
    void awaitForBell() {
        assert lock.isHeldByCurrentThread();
        bellWaiting = true;
        try {
            roleFree.awaitUninterruptibly();
        } finally {
            bellWaiting = false;
        }
    }

    /** Wakes the rung background thread, if it waits (the holder let go of a dead link's role). */
    void wakeBell() {
        assert lock.isHeldByCurrentThread();
        roleFree.signalAll();
    }

    /** Wakes every waiter (the link died or the connection closed): each re-checks why it waits. */
    void wakeAll() {
        assert lock.isHeldByCurrentThread();
        for (Pending f : followers) f.wake.signal();
        roleFree.signalAll();
    }

    int followerCount() {
        assert lock.isHeldByCurrentThread();
        return followers.size();
    }

    boolean bellWaiting() {
        assert lock.isHeldByCurrentThread();
        return bellWaiting;
    }

    long callerLeads() {
        return callerLeads;
    }

    long backgroundLeads() {
        return backgroundLeads;
    }
}
