package org.cairndb.storage.spi;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The threads waiting inside a storage where the JVM cannot tell: a {@code cairn://} caller
 * that reads the socket for its own answer is RUNNABLE to the JVM while the server holds its
 * vote behind the commit lock. A storage marks such a wait ({@link #enter()} before it begins,
 * {@link #exit()} when it ends), so tests can see that a caller waits ({@link #isWaiting}) at
 * the moment it does, instead of guessing from how long a thread sits in a read. Waits the JVM
 * does see (a thread parked on a lock or condition) need no mark.
 *
 * <p>Marked is "the request is out and its answer has not come": the caller may be waiting
 * for the server's commit lock or just for a quick answer; a test that needs to know the
 * former checks order and outcome afterwards, as the conformance kit does.
 */
public final class WaitingCallers {
    private static final Set<Thread> WAITING = ConcurrentHashMap.newKeySet();

    private WaitingCallers() {}

    /** The current thread starts waiting for an answer. */
    public static void enter() {
        WAITING.add(Thread.currentThread());
    }

    /** The current thread's wait ended (answered, failed or given up). */
    public static void exit() {
        WAITING.remove(Thread.currentThread());
    }

    /** True while {@code thread} is between {@link #enter()} and {@link #exit()}. */
    public static boolean isWaiting(Thread thread) {
        return WAITING.contains(thread);
    }
}
