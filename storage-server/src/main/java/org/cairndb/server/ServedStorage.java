package org.cairndb.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.Message;
import org.cairndb.storage.Storage;
import org.cairndb.storage.spi.CommitLock;
import org.cairndb.storage.spi.CommitLockStats;

/**
 * One named storage the server serves, with its invalidation hub: the sessions attached to
 * it, and a bounded history of recent commits for clients that reconnect.
 *
 * <h2>Ordering (why one lock)</h2>
 * A commit's invalidation is written to every session under {@link #lock}, and a session
 * joins (HELLO, with its catch-up list) or asks for the last tid under the same lock. So
 * on every connection the frames come out in tid order, and any answer that names a tid comes
 * after every invalidation up to that tid: a client that has processed the answer has
 * processed the invalidations. Channel writes only enqueue, so holding the lock is short.
 *
 * <h2>Before finish returns</h2>
 * {@link #publish} runs on the committing thread inside the storage's finish (through the
 * commit listener) and queues the INVALIDATE on every session's connection: a write task on
 * the connection's event loop, in order with everything else written to it. The committing
 * session answers FINISH after that, so on every connection the INVALIDATE goes out before
 * any answer written after the commit's FINISH answer. It does not wait for the pushes to
 * reach the sockets: a client that does not read must not stall anybody's commit (its queue
 * is bounded by {@link OutboundGuard}).
 */
final class ServedStorage {
    final String name;
    final Storage storage;
    final boolean owned;
    /** Loads answered on the event loop: the storage's reads never block. */
    final boolean inlineReads;

    private final int historySize;
    private final Object lock = new Object();
    private final Set<Session> sessions = new LinkedHashSet<>();
    private final ArrayDeque<Entry> history = new ArrayDeque<>();
    /** Every commit with tid > floor is in {@link #history}. */
    private long floor;

    private long lastPublished;
    private final ServerStats stats;
    private AutoCloseable listener;

    final AtomicInteger votesInProgress = new AtomicInteger();
    final CommitQueue commitQueue;
    /** What became of recently voted transactions, for clients whose FINISH answer was lost. */
    final CommitOutcomes outcomes;

    final LatencyHistogram voteLatency = new LatencyHistogram();
    final LongAdder commits = new LongAdder();

    /** The shared fragment tier of this storage (see {@link SharedFragments}). */
    final SharedFragments fragments;
    /** Read without the lock by CACHE_GET; written under it, after the commit's fragments were dropped. */
    private volatile long publishedTid;

    private record Entry(long tid, long[] oids) {}

    /** What a joining client must drop: {@code all} when history does not reach back to its tid. */
    record Catchup(long lastTid, boolean all, long[] oids) {}

    ServedStorage(
            String name,
            Storage storage,
            boolean owned,
            int historySize,
            ServerStats stats,
            boolean inlineReads,
            long fragmentCacheBytes) {
        this.fragments = new SharedFragments(lock, fragmentCacheBytes, SharedFragments.DEFAULT_MAX_ENTRIES);
        this.name = name;
        this.storage = storage;
        this.owned = owned;
        this.inlineReads = inlineReads;
        this.commitQueue = new CommitQueue(!storage.supports(org.cairndb.storage.Capability.MULTI_WRITER));
        this.historySize = Math.max(1, historySize);
        this.outcomes = new CommitOutcomes(this.historySize);
        this.stats = stats;
        this.lastPublished = storage.lastTid();
        this.publishedTid = lastPublished;
        this.floor = lastPublished;
        this.listener = storage.addCommitListener(this::publish);
    }

    /** Records a commit and pushes its invalidation to every session of this storage. Idempotent per tid. */
    void publish(long tid, long[] oids) {
        Frame frame = new Message.Invalidate(tid, oids).frame(0);
        synchronized (lock) {
            if (Long.compareUnsigned(tid, lastPublished) <= 0) return;
            history.addLast(new Entry(tid, oids));
            while (history.size() > historySize) floor = history.removeFirst().tid;
            fragments.committedLocked(oids); // before any client hears of the commit
            lastPublished = tid;
            publishedTid = tid;
            for (Session s : sessions) s.push(frame);
        }
        stats.invalidationsPushed.add(sessionCount());
    }

    /** Joins a session and tells it what changed since {@code sinceTid} (0: a new client, nothing to drop). */
    Catchup join(Session s, long sinceTid) {
        synchronized (lock) {
            sessions.add(s);
            if (sinceTid == 0 || sinceTid == lastPublished) return new Catchup(lastPublished, false, new long[0]);
            if (Long.compareUnsigned(sinceTid, floor) < 0 || Long.compareUnsigned(sinceTid, lastPublished) > 0) {
                // too old for our history, or from the future (another server, a restored storage)
                return new Catchup(lastPublished, true, new long[0]);
            }
            LinkedHashSet<Long> oids = new LinkedHashSet<>();
            for (Entry e : history) {
                if (Long.compareUnsigned(e.tid, sinceTid) > 0) for (long o : e.oids) oids.add(o);
            }
            long[] a = new long[oids.size()];
            int i = 0;
            for (long o : oids) a[i++] = o;
            return new Catchup(lastPublished, false, a);
        }
    }

    /**
     * Stores a fragment computed at {@code snapshotTid} unless a published commit after it
     * changed a dependency, or the history no longer reaches back to it (then nobody can tell).
     */
    boolean admitFragment(String cache, SharedFragments.Value v, long snapshotTid) {
        synchronized (lock) {
            if (v.deps.length > 0) {
                if (Long.compareUnsigned(snapshotTid, floor) < 0) {
                    fragments.refused.increment();
                    return false;
                }
                java.util.Arrays.sort(v.deps);
                for (java.util.Iterator<Entry> it = history.descendingIterator(); it.hasNext(); ) {
                    Entry e = it.next();
                    if (Long.compareUnsigned(e.tid, snapshotTid) <= 0) break;
                    for (long oid : e.oids) {
                        if (java.util.Arrays.binarySearch(v.deps, oid) >= 0) {
                            fragments.refused.increment();
                            return false;
                        }
                    }
                }
            }
            fragments.putLocked(cache, v);
            return true;
        }
    }

    /** The last published tid, without the lock (for CACHE_GET: read before the value). */
    long publishedTid() {
        return publishedTid;
    }

    void leave(Session s) {
        synchronized (lock) {
            sessions.remove(s);
        }
    }

    long lastPublished() {
        synchronized (lock) {
            return lastPublished;
        }
    }

    int sessionCount() {
        synchronized (lock) {
            return sessions.size();
        }
    }

    List<Session> sessions() {
        synchronized (lock) {
            return new ArrayList<>(sessions);
        }
    }

    /** The storage's own lock statistics when it offers them, else null. */
    CommitLock.Stats lockStats() {
        return storage instanceof CommitLockStats c ? c.commitLockStats() : null;
    }

    void close() {
        try {
            if (listener != null) listener.close();
        } catch (Exception ignored) {
            // the storage may be closing already
        }
        listener = null;
        if (owned) storage.close();
    }
}
