package org.cairndb.server;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Slows down guessing of the shared secret, per remote address, and keeps the log readable.
 *
 * <h2>The rule</h2>
 * After k failed logins in a row from an address (none successful in between, the last less
 * than {@link #FORGET_NANOS} ago), its next login is judged no sooner than
 * {@code min(max, base * 2^(k-1))} after the previous judgement: 100 ms after one typo, 5 s
 * (the default max) from the seventh failure on. Attempts are judged one after another per
 * address ({@link #reserve} hands out successive slots), so opening many connections at once
 * does not guess faster. The wait is a timer on the connection's event loop (see
 * {@code Session.hello}): no thread sleeps, and other addresses are not slowed at all. A
 * success forgets the address.
 *
 * <p>Refusals are logged at most once per address per minute, with the count since the last
 * line (233 WARN lines a second made the log useless and cost I/O).
 */
final class LoginThrottle {
    static final long FORGET_NANOS = 15L * 60 * 1_000_000_000L;
    private static final long LOG_EVERY_NANOS = 60L * 1_000_000_000L;
    private static final int MAX_TRACKED = 100_000;

    private final long baseNanos;
    private final long maxNanos;
    private final LongSupplier clock;
    private final Map<InetAddress, State> states = new ConcurrentHashMap<>();

    private static final class State {
        int failures;
        long lastFailure;
        /** The earliest time the next attempt from this address is judged. */
        long nextSlot;

        long lastLogged = Long.MIN_VALUE;
        int unlogged;
    }

    LoginThrottle(long baseNanos, long maxNanos, LongSupplier clock) {
        this.baseNanos = baseNanos;
        this.maxNanos = maxNanos;
        this.clock = clock;
    }

    /**
     * Nanoseconds to wait before judging a login from {@code a} (0: at once), taking the slot;
     * -1 when the address already has more than {@link #QUEUE_SLOTS} attempts waiting: refuse it
     * without judging (so a burst of connections cannot queue timers without end).
     */
    long reserve(InetAddress a) {
        if (a == null || baseNanos <= 0) return 0;
        State s = states.get(a);
        if (s == null) return 0;
        synchronized (s) {
            long now = clock.getAsLong();
            if (s.failures == 0 || now - s.lastFailure > FORGET_NANOS) return 0;
            long slot = Math.max(now, s.nextSlot);
            long step = delay(s.failures);
            if (slot - now > QUEUE_SLOTS * step) return -1;
            s.nextSlot = slot + step;
            return slot - now;
        }
    }

    /** Attempts from one address that may wait for their slot at once. */
    static final int QUEUE_SLOTS = 8;

    /** A login from {@code a} failed; returns the delay now imposed on its next attempt, in ns. */
    long failed(InetAddress a) {
        if (a == null) return 0;
        if (states.size() > MAX_TRACKED) prune();
        State s = states.computeIfAbsent(a, k -> new State());
        synchronized (s) {
            long now = clock.getAsLong();
            if (s.failures > 0 && now - s.lastFailure > FORGET_NANOS) s.failures = 0;
            s.failures++;
            s.lastFailure = now;
            long d = baseNanos <= 0 ? 0 : delay(s.failures);
            s.nextSlot = Math.max(s.nextSlot, now + d);
            return d;
        }
    }

    void succeeded(InetAddress a) {
        if (a != null) states.remove(a);
    }

    /**
     * Whether to log this refusal (at most once a minute per address); returns the refusals not
     * logged since the last line (including this one), or -1 for "do not log".
     */
    int logDue(InetAddress a) {
        State s = a == null ? null : states.get(a);
        if (s == null) return 1;
        synchronized (s) {
            s.unlogged++;
            long now = clock.getAsLong();
            if (s.lastLogged != Long.MIN_VALUE && now - s.lastLogged < LOG_EVERY_NANOS) return -1;
            s.lastLogged = now;
            int n = s.unlogged;
            s.unlogged = 0;
            return n;
        }
    }

    private long delay(int failures) {
        int shift = Math.min(30, failures - 1);
        long d = baseNanos << shift;
        return d <= 0 || d > maxNanos ? maxNanos : d;
    }

    private void prune() {
        long now = clock.getAsLong();
        states.entrySet().removeIf(e -> now - e.getValue().lastFailure > FORGET_NANOS);
        if (states.size() > MAX_TRACKED) states.clear(); // spread over too many addresses to track: start over
    }
}
