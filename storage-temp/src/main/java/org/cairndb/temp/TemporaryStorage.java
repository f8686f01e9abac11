package org.cairndb.temp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.cairndb.storage.Capability;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.CommitListener;
import org.cairndb.storage.HistoryEntry;
import org.cairndb.storage.Invalidations;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.Oid;
import org.cairndb.storage.PackProgress;
import org.cairndb.storage.PackResult;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.ReadConflictException;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageClosedException;
import org.cairndb.storage.StorageMisuseException;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;
import org.cairndb.storage.conflict.ResolverRegistry;
import org.cairndb.storage.spi.CommitLock;
import org.cairndb.storage.spi.CommitLockStats;
import org.cairndb.storage.spi.MvccTransaction;
import org.cairndb.storage.spi.NonBlockingReads;
import org.cairndb.storage.spi.OidCounter;
import org.cairndb.storage.spi.PendingWrite;
import org.cairndb.storage.spi.RecentCommits;
import org.cairndb.storage.spi.RevisionChains;
import org.cairndb.storage.spi.SnapshotView;
import org.cairndb.storage.spi.ViewRegistry;

/**
 * {@code temp:} — an in-memory MVCC storage with conflict resolution, for high-churn shared
 * state (login sessions, caches, counters) written by many threads at once.
 *
 * <h2>Structure</h2>
 * Each object is a chain of immutable {@link Rev} nodes, newest first, held in a
 * {@link ConcurrentHashMap} by oid. A commit prepends a node per written object; old nodes
 * are dropped as soon as neither an open snapshot nor the published last tid can see them
 * (see {@link RevisionChains}, the MVCC core shared with {@code mem:}), so memory stays flat however often the same objects are written.
 *
 * <h2>Concurrency</h2>
 * Loads take no lock: they read the volatile {@link #lastTid} and walk a chain. Commits
 * serialize on the {@link CommitLock} from vote to finish only. Finish installs every new
 * node first (readers ignore nodes newer than the tid they read at), then publishes the tid
 * (one volatile write: the atomic moment of the commit), then trims the written chains. A
 * plain load that finds its revision trimmed between reading the last tid and walking the
 * chain simply reads again at the newer tid; a snapshot is protected by its registration in
 * {@link ViewRegistry}. Chains are changed only through {@code ConcurrentHashMap.compute}, so
 * a trim on a snapshot's close never loses a concurrent commit's node.
 *
 * <h2>What it keeps, and therefore what it can answer</h2>
 * No history: {@link #loadBefore} answers for times whose revision is still kept and throws
 * {@link ReadConflictException} otherwise (never newer data). {@link #iterator} returns the
 * state as of the moment it starts: each object's current revision under the transaction
 * that wrote it, with that transaction's metadata, in tid order; transactions none of whose
 * revisions is current any more are gone, and a transaction some of whose revisions were
 * superseded is returned with {@code packed = true} and only its current revisions. Copying
 * a {@code temp:} storage therefore reproduces its current state exactly, not its past.
 * Deleted objects are not returned. Undo is not supported.
 *
 * <h2>Why over 400 lines</h2>
 * It implements the whole Storage SPI with every rule of the contract (loads, views, iterator,
 * history, oids, restore, pack, commit listeners) on its chains. Keeping, trimming and
 * walking the chains is the shared MVCC core's ({@link RevisionChains}); what remains is
 * what {@code temp:} answers from them (its messages, its follow-the-newer-tid retry).
 *
 * <h2>Alternatives rejected</h2>
 * A global read-write lock around a HashMap: every load would contend with every commit.
 * Versioned values trimmed by a background thread on a timer: memory would depend on timing,
 * and the project forbids timers deciding progress; trimming here happens on the commit and
 * snapshot-close that makes a revision unneeded.
 */
public final class TemporaryStorage implements Storage, NonBlockingReads, CommitLockStats {
    private final String name;
    private final ResolverRegistry resolvers;
    private final CommitLock commitLock;
    private final ConcurrentHashMap<Long, Rev> heads = new ConcurrentHashMap<>();
    /** Oids whose chain holds more than one node: the only ones a snapshot's close may trim. */
    private final Set<Long> multi = ConcurrentHashMap.newKeySet();

    private final ViewRegistry views = new ViewRegistry();
    /** Who may still read an older revision: the open snapshots and readers at the published tid. */
    private final RevisionChains.Need readers = RevisionChains.readersOf(views, () -> this.lastTid);

    private final ConcurrentSkipListMap<Long, TxnInfo> log = new ConcurrentSkipListMap<>();
    private final RecentCommits recent = new RecentCommits();
    private final CopyOnWriteArrayList<CommitListener> listeners = new CopyOnWriteArrayList<>();
    private final OidCounter nextOid = new OidCounter();
    private final LongAdder revisions = new LongAdder();
    private final LongAdder keptBytes = new LongAdder();
    private final AtomicLong liveObjects = new AtomicLong();
    private volatile long lastTid = Tid.ZERO;
    private volatile boolean closed;

    /** A storage named {@code name} with the conflict resolvers found on the class path. */
    public TemporaryStorage(String name) {
        this(name, ResolverRegistry.fromClassPath());
    }

    public TemporaryStorage(String name, ResolverRegistry resolvers) {
        this.name = name;
        this.resolvers = resolvers == null ? new ResolverRegistry() : resolvers;
        this.commitLock = new CommitLock("storage '" + name + "'");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.CONFLICT_RESOLUTION, Capability.PACK);
    }

    @Override
    public long lastTid() {
        checkOpen();
        return lastTid;
    }

    @Override
    public Loaded load(long oid) {
        checkOpen();
        return loadAt(oid, lastTid, true);
    }

    @Override
    public Loaded loadBefore(long oid, long beforeTid) {
        checkOpen();
        if (beforeTid == Tid.ZERO) throw new PosKeyException(oid, "nothing is before tid 0");
        long last = lastTid;
        long at = beforeTid - 1;
        return at >= last ? loadAt(oid, last, true) : loadAt(oid, at, false);
    }

    /**
     * The revision visible at {@code tid}. With {@code followNewer}, a revision trimmed while we
     * looked (because a newer commit was published) makes us look again at the newer tid.
     */
    Loaded loadAt(long oid, long tid, boolean followNewer) {
        while (true) {
            Rev head = heads.get(oid);
            RevisionChains.Visible<Rev> seen = RevisionChains.visibleAt(head, tid);
            if (seen.seen() == RevisionChains.Seen.DROPPED) {
                long now = lastTid;
                if (followNewer && now != tid) {
                    tid = now;
                    continue;
                }
                throw new ReadConflictException(
                        oid,
                        null,
                        tid,
                        head == null ? Tid.ZERO : head.tid,
                        "storage '" + name
                                + "' (temp:) no longer keeps the revision current at that tid; it keeps only what open views need");
            }
            if (seen.seen() == RevisionChains.Seen.ABSENT) {
                throw new PosKeyException(
                        oid, "storage '" + name + "' has no revision of it at tid " + Tid.describe(tid));
            }
            Rev found = seen.found();
            if (found.data == null) {
                throw new PosKeyException(
                        oid, "deleted by transaction " + Tid.describe(found.tid) + " in storage '" + name + "'");
            }
            long next = seen.nextTid(Tid.ZERO);
            if (next > lastTid) next = Tid.ZERO; // not yet published: still current for readers
            return new Loaded(oid, found.tid, found.data, next);
        }
    }

    @Override
    public Loaded loadSerial(long oid, long tid) {
        checkOpen();
        Rev r = tid > lastTid ? null : RevisionChains.exactly(heads.get(oid), tid);
        if (r == null || r.data == null) {
            throw new PosKeyException(
                    oid,
                    "storage '" + name + "' keeps no revision with data written by tid " + Tid.describe(tid)
                            + " (temp: keeps only the revisions open views need)");
        }
        return new Loaded(oid, r.tid, r.data, Tid.ZERO);
    }

    @Override
    public long[] newOids(int count) {
        checkOpen();
        return nextOid.take(name, count);
    }

    @Override
    public StorageTransaction begin(TransactionMetadata metadata) {
        checkOpen();
        return new TempTransaction(this, metadata);
    }

    @Override
    public StorageView openView() {
        checkOpen();
        return new SnapshotView(snapshots);
    }

    @Override
    public CloseableIterator<TransactionRecord> iterator(long fromTid, long toTid) {
        checkOpen();
        ViewRegistry.Ticket pin = views.register(this::lastTid);
        long at = pin.tid();
        long upTo = Math.min(toTid, at);
        // an empty range (from > to, or from beyond the last tid) yields nothing; subMap would throw
        Iterator<TxnInfo> txns = fromTid > upTo
                ? java.util.Collections.emptyIterator()
                : new ArrayList<>(log.subMap(fromTid, true, upTo, true).values()).iterator();
        return new CloseableIterator<>() {
            private TransactionRecord next;
            private boolean done;

            @Override
            public boolean hasNext() {
                while (next == null && !done) {
                    if (closed || !txns.hasNext()) {
                        close();
                        break;
                    }
                    next = asRecord(txns.next(), at);
                }
                return next != null;
            }

            @Override
            public TransactionRecord next() {
                if (!hasNext()) throw new NoSuchElementException();
                TransactionRecord r = next;
                next = null;
                return r;
            }

            @Override
            public void close() {
                if (done) return;
                done = true;
                viewReleased(pin);
            }
        };
    }

    private TransactionRecord asRecord(TxnInfo txn, long at) {
        List<Revision> revs = new ArrayList<>(txn.oids.length);
        for (long oid : txn.oids) {
            Rev r = RevisionChains.visibleAt(heads.get(oid), at).found();
            if (r != null && r.txn == txn && r.data != null) {
                revs.add(new Revision(oid, r.tid, r.data, r.dataTid));
            }
        }
        if (revs.isEmpty()) return null;
        return new TransactionRecord(txn.tid, revs.size() < txn.oids.length, txn.metadata, revs);
    }

    @Override
    public List<HistoryEntry> history(long oid, int max) {
        checkOpen();
        if (max < 0)
            throw new StorageMisuseException(
                    "storage '" + name + "': history(" + Oid.describe(oid) + ", " + max + "): max must be at least 0");
        long last = lastTid;
        List<HistoryEntry> out = new ArrayList<>();
        for (Rev r : RevisionChains.published(heads.get(oid), last, max)) {
            out.add(new HistoryEntry(oid, r.tid, r.data == null ? -1 : r.data.length, r.txn.metadata));
        }
        return out;
    }

    /**
     * No history to remove (unneeded revisions are already gone), so pack is the garbage
     * collection: every object not reachable from the root through record references is
     * removed with all its kept revisions. Runs under the commit lock.
     */
    @Override
    public PackResult pack(long beforeTid, PackProgress progress) {
        checkOpen();
        PackProgress p = progress == null ? PackProgress.NONE : progress;
        commitLock.acquire();
        try {
            long before = revisions.sum();
            for (Long oid : List.copyOf(multi)) trim(oid);
            long trimmed = before - revisions.sum();
            p.progress("mark", 0, heads.size());
            // Garbage as of beforeTid: objects written after it are roots too (a transaction
            // still running may be about to link them, as ZODB and RelStorage keep them).
            Set<Long> reachable = Reachability.mark(
                    heads.keySet(),
                    oid -> {
                        Rev h = heads.get(oid);
                        return h == null ? null : h.data;
                    },
                    oid -> {
                        Rev h = heads.get(oid);
                        return h != null && h.tid > beforeTid;
                    });
            p.progress("mark", heads.size(), heads.size());
            long removedObjects = 0;
            long removedRevisions = trimmed;
            for (Long oid : List.copyOf(heads.keySet())) {
                if (reachable.contains(oid)) continue;
                Rev gone = heads.remove(oid);
                if (gone == null) continue;
                multi.remove(oid);
                if (gone.data != null) {
                    liveObjects.decrementAndGet();
                    removedObjects++;
                }
                for (Rev r = gone; r != null; r = r.prev) {
                    dropped(r);
                    removedRevisions++;
                }
            }
            p.progress("sweep", removedObjects, removedObjects);
            return new PackResult(removedRevisions, removedObjects, liveObjects.get());
        } finally {
            commitLock.release();
        }
    }

    @Override
    public void restore(TransactionRecord txn) {
        checkOpen();
        commitLock.acquire();
        try {
            if (txn.tid() <= lastTid) {
                throw new StorageMisuseException("storage '" + name + "': restore of tid " + Tid.describe(txn.tid())
                        + " not greater than last " + Tid.describe(lastTid) + " (expected: increasing tids)");
            }
            Map<Long, PendingWrite> byOid = new LinkedHashMap<>();
            for (Revision r : txn.revisions())
                byOid.put(r.oid(), new PendingWrite(r.oid(), Tid.ZERO, r.data(), r.dataTid()));
            install(txn.tid(), txn.metadata(), byOid.values());
        } finally {
            commitLock.release();
        }
    }

    @Override
    public AutoCloseable addCommitListener(CommitListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public long objectCount() {
        checkOpen();
        return liveObjects.get();
    }

    @Override
    public long sizeInBytes() {
        return keptBytes.sum();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        commitLock.close();
        listeners.clear();
    }

    /** What its transactions need of the storage (the shared MVCC transaction's view of it). */
    private final MvccTransaction.Store txnStore = new MvccTransaction.Store() {
        @Override
        public void checkOpen() {
            TemporaryStorage.this.checkOpen();
        }

        @Override
        public CommitLock commitLock() {
            return commitLock;
        }

        @Override
        public long lastTid() {
            return lastTid;
        }

        @Override
        public MvccTransaction.Current current(long oid) {
            Rev h = heads.get(oid);
            return h == null ? null : new MvccTransaction.Current(h.tid, h.data);
        }

        @Override
        public void commit(long tid, TransactionMetadata metadata, List<PendingWrite> writes) {
            checkOpen(); // a close aborts open transactions: a voted one must not publish afterwards
            install(tid, metadata, writes);
        }
    };

    // ---- package-private: transactions, views, diagnostics ----

    MvccTransaction.Store txnStore() {
        return txnStore;
    }

    /** Revisions kept right now, over all objects (diagnostic; flat under churn). */
    long revisionCount() {
        return revisions.sum();
    }

    /** Transactions still held (diagnostic). */
    int loggedTransactions() {
        return log.size();
    }

    int openViews() {
        return views.size();
    }

    CommitLock commitLock() {
        return commitLock;
    }

    ResolverRegistry resolvers() {
        return resolvers;
    }

    ViewRegistry views() {
        return views;
    }

    Rev head(long oid) {
        return heads.get(oid);
    }

    void checkOpen() {
        if (closed) throw new StorageClosedException("storage '" + name + "'");
    }

    /** Installs a voted (or restored) transaction and publishes it. Caller holds the commit lock. */
    void install(long tid, TransactionMetadata metadata, Collection<PendingWrite> writes) {
        long[] oids = new long[writes.size()];
        int i = 0;
        long maxOid = -1;
        for (PendingWrite w : writes) {
            oids[i++] = w.oid();
            maxOid = Math.max(maxOid, w.oid());
        }
        TxnInfo info = new TxnInfo(tid, metadata, oids);
        if (oids.length > 0) log.put(tid, info);
        for (PendingWrite w : writes) {
            heads.compute(w.oid(), (oid, old) -> {
                boolean hadData = old != null && old.data != null;
                if (w.data() != null && !hadData) liveObjects.incrementAndGet();
                if (w.data() == null && hadData) liveObjects.decrementAndGet();
                if (old != null) multi.add(oid);
                return new Rev(tid, w.dataTid(), w.data(), info, Rev.NO_GAP, old);
            });
            revisions.increment();
            keptBytes.add(64 + (w.data() == null ? 0 : w.data().length));
        }
        recent.add(tid, oids);
        lastTid = tid; // the commit becomes visible here
        if (maxOid >= 0) nextOid.atLeast(maxOid + 1);
        for (long oid : oids) trim(oid);
        recent.trim(views.minTid(lastTid)); // keeps the commits an open snapshot's sync may ask for
        for (CommitListener l : listeners) {
            try {
                l.committed(tid, oids.clone());
            } catch (RuntimeException ignored) {
                // a listener's failure must not undo or hide a published commit
            }
        }
    }

    /**
     * Drops the revisions of {@code oid} that neither the published last tid nor an open
     * snapshot can see. The last tid is read afresh for each decision, after the chain was
     * taken: a stale value could drop the revision a snapshot registering right now needs.
     */
    private void trim(long oid) {
        heads.computeIfPresent(oid, (k, head) -> {
            Rev t = RevisionChains.trim(head, readers, this::dropped);
            if (t.prev == null) multi.remove(k);
            return t;
        });
    }

    private void dropped(Rev r) {
        revisions.decrement();
        keptBytes.add(-(64 + (r.data == null ? 0 : r.data.length)));
        if (r.txn.held.decrementAndGet() == 0) log.remove(r.txn.tid, r.txn);
    }

    /** The reads a {@link SnapshotView} makes, kept off this class's public surface. */
    private final SnapshotView.Source snapshots = new SnapshotView.Source() {
        @Override
        public String name() {
            return name;
        }

        @Override
        public long publishedTid() {
            return lastTid;
        }

        @Override
        public ViewRegistry views() {
            return views;
        }

        @Override
        public Loaded loadAt(long oid, long tid) {
            return TemporaryStorage.this.loadAt(oid, tid, false);
        }

        @Override
        public Invalidations changedBetween(long fromTid, long toTid) {
            return TemporaryStorage.this.changedBetween(fromTid, toTid);
        }

        @Override
        public void released(ViewRegistry.Ticket ticket) {
            viewReleased(ticket);
        }

        @Override
        public void checkOpen() {
            TemporaryStorage.this.checkOpen();
        }
    };

    /** What a snapshot moving from {@code from} to {@code to} must invalidate. */
    Invalidations changedBetween(long from, long to) {
        return recent.between(from, to);
    }

    /** A snapshot (or iteration) ended: if it was the oldest, revisions only it needed go now. */
    void viewReleased(ViewRegistry.Ticket ticket) {
        if (views.unregister(ticket) && !closed) {
            for (Long oid : multi) trim(oid);
        }
    }

    @Override
    public String toString() {
        return "TemporaryStorage[" + name + ", last " + Tid.hex(lastTid) + ", " + liveObjects.get() + " objects, "
                + revisions.sum() + " revisions]";
    }

    static String describe(long[] oids) {
        return Arrays.toString(oids);
    }

    /** The commit lock's figures, for the server's status report. */
    @Override
    public CommitLock.Stats commitLockStats() {
        return commitLock.stats();
    }
}
