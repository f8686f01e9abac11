package org.cairndb.storage.spi;

import java.util.Comparator;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The tids at which a storage's snapshots are open, shared by the in-memory storages that
 * drop revisions no open snapshot needs: a concurrent sorted multiset (tickets ordered by tid,
 * then by a sequence number so equal tids coexist).
 *
 * <h2>Concurrency</h2>
 * Registering must not race with a pruner that decides a revision is unneeded. A pruner runs
 * only after the tid it prunes against is published, and reads the last tid before it looks
 * at the tickets. A snapshot therefore registers first and reads the last tid again after
 * registering: if it moved, a pruner may have missed the ticket, so the snapshot registers
 * again at the new tid. When the second read equals the first, every pruner that starts later
 * sees the ticket, and every pruner that already ran kept what the published tid needs.
 */
public final class ViewRegistry {
    public record Ticket(long tid, long seq) {}

    private static final Comparator<Ticket> ORDER =
            Comparator.comparingLong(Ticket::tid).thenComparingLong(Ticket::seq);

    private final ConcurrentSkipListSet<Ticket> tickets = new ConcurrentSkipListSet<>(ORDER);
    private final AtomicLong seq = new AtomicLong();

    /** Registers a snapshot at the current value of {@code lastTid}, stable against pruners. */
    public Ticket register(LongSupplier lastTid) {
        long tid = lastTid.getAsLong();
        while (true) {
            Ticket t = new Ticket(tid, seq.incrementAndGet());
            tickets.add(t);
            long again = lastTid.getAsLong();
            if (again == tid) return t;
            tickets.remove(t);
            tid = again;
        }
    }

    /**
     * Unregisters; returns true if revisions may now be dropped: no snapshot is left at this
     * tid or below. Decided after the removal, so of several snapshots closing at once the
     * last one to leave the oldest tid always says true (deciding before the removal, two
     * concurrent closes could each leave it to the other).
     */
    public boolean unregister(Ticket t) {
        tickets.remove(t);
        Ticket first = firstOrNull();
        return first == null || t.tid() < first.tid();
    }

    /** True if some open snapshot reads at a tid in {@code [lo, hi)}. */
    public boolean anyIn(long lo, long hi) {
        Ticket t = tickets.ceiling(new Ticket(lo, Long.MIN_VALUE));
        return t != null && t.tid() < hi;
    }

    /** The oldest open snapshot's tid, or {@code otherwise} when none is open. */
    public long minTid(long otherwise) {
        Ticket t = tickets.isEmpty() ? null : firstOrNull();
        return t == null ? otherwise : Math.min(t.tid(), otherwise);
    }

    private @Nullable Ticket firstOrNull() {
        try {
            return tickets.first();
        } catch (java.util.NoSuchElementException raced) {
            return null;
        }
    }

    public int size() {
        return tickets.size();
    }
}
