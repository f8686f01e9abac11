package org.cairndb.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open connections, in all and per remote address, against {@code --max-connections}
 * and {@code --max-connections-per-address}: without a cap, idle connections from one host
 * exhausted the server's file descriptors. A connection over a cap is refused with a LIMIT
 * error that names the cap (see {@link Session#channelActive}). Doorbell connections count like
 * any other (a client uses two).
 */
final class ConnectionLimits {
    private final int maxTotal;
    private final int maxPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    ConnectionLimits(int maxTotal, int maxPerAddress) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
    }

    /** Null when admitted (then {@link #release} once it closes), else why it is refused. */
    String admit(SocketAddress remote) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return "the server has " + maxTotal + " connections open, its limit (--max-connections); try again later";
        }
        InetAddress a = address(remote);
        if (a != null) {
            int n = perAddress.merge(a, 1, Integer::sum);
            if (n > maxPerAddress) {
                decrement(a);
                total.decrementAndGet();
                return "the server has " + maxPerAddress + " connections open from " + a.getHostAddress()
                        + ", its limit per address (--max-connections-per-address); close some or raise the limit";
            }
        }
        return null;
    }

    void release(SocketAddress remote) {
        total.decrementAndGet();
        InetAddress a = address(remote);
        if (a != null) decrement(a);
    }

    private void decrement(InetAddress a) {
        perAddress.computeIfPresent(
                a, (k, n) -> n <= 1 ? null : n - 1); // atomic per key: no count is lost to a racing admit
    }

    private final java.util.concurrent.atomic.AtomicLong lastLogged =
            new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);
    private final AtomicInteger unlogged = new AtomicInteger();

    /**
     * Whether to log a refusal now: at most one line a minute (a host hammering the limit must
     * not flood the log). Returns the refusals since the last line, or -1 for "do not log".
     */
    int logDue() {
        unlogged.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (last != Long.MIN_VALUE && now - last < 60_000_000_000L) return -1;
        if (!lastLogged.compareAndSet(last, now)) return -1;
        return unlogged.getAndSet(0);
    }

    int open() {
        return total.get();
    }

    private static InetAddress address(SocketAddress remote) {
        return remote instanceof InetSocketAddress i ? i.getAddress() : null;
    }
}
