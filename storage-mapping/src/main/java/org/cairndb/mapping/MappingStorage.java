package org.cairndb.mapping;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
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
 * {@code mem:} and {@code mem:/path/file.cairn} — the simplest fast storage: each object's
 * current revision off-heap in a Chronicle Map, so the JVM heap does not grow with the number
 * of objects; optionally persisted to a file that reopens with every committed transaction.
 * Write conflicts are detected and never resolved.
 *
 * <h2>Structure</h2>
 * The map holds oid → current revision with the metadata of the transaction that wrote it
 * ({@link RecordCodec}). Older revisions live on the heap only while a reader may need them
 * (an open snapshot, or a load racing the commit that replaces them), in side chains that are
 * trimmed as soon as that need ends ({@link OldChains}, around the MVCC core shared with
 * {@code temp:}: {@link RevisionChains}, {@link MvccTransaction}): their size is bounded by the open
 * snapshots, not by the objects or the commit rate.
 *
 * <h2>Concurrency</h2>
 * Loads take no lock. Commits serialize on the {@link CommitLock} from vote to finish. Finish
 * (1) encodes the new values, (2) writes them ahead to the journal when persisted, (3) moves
 * each replaced revision into its side chain, (4) puts the new values into the map, (5)
 * publishes the tid with one volatile write, (6) trims the side chains. Persisted, (5) and (6)
 * wait, after the lock is released, for a journal force that covers the commit, shared with
 * the commits that finished meanwhile ({@link GroupSync}): the next transaction votes against
 * the map (so it sees the applied, unpublished commit and takes a greater tid) while readers
 * still see the last published tid through the side chains. A reader at tid T that
 * meets a value newer than T finds the revision it needs in the side chain, which was filled
 * before the value was replaced; a snapshot's registration keeps it there (see
 * {@link ViewRegistry}).
 *
 * <h2>No history</h2>
 * Like {@code temp:}, iteration returns the current state grouped by the transaction that
 * wrote each current revision, with its metadata, in tid order; transactions with superseded
 * revisions come with {@code packed = true}; deleted objects are left out. It needs a scan of
 * the map and two primitive arrays of the object count on the heap while it runs.
 *
 * <h2>Alternatives rejected</h2>
 * Keeping older revisions in a second Chronicle Map: a second sizing problem for data that
 * lives milliseconds. An append-only history log: {@code mem:} promises no history, so it
 * would grow without use.
 *
 * <h2>Why this class is over 400 lines</h2>
 * It is the whole {@link Storage} contract for one storage (loads at a tid with the side-chain
 * fallback, views, iteration and history without a history log, pack, restore, listeners,
 * size) plus the adapter to the shared MVCC core; the map, the journal, the open-time checks
 * and the revision chains are already classes of their own, and the walks of
 * {@code loadBefore}, {@code loadSerial}, {@code history} and the iterator are the shared
 * core's ({@link RevisionChains#visibleAt} and its siblings; {@code mem:}'s shadow of the
 * off-heap current revision is a {@linkplain org.cairndb.storage.spi.ChainedRevision#standsIn()
 * stand-in} node there). What remains is the off-heap head with its side-chain fallback.
 */
public final class MappingStorage implements Storage, NonBlockingReads, CommitLockStats {
    /** Default URI sizing: objects, and average record size in bytes. */
    public static final long DEFAULT_ENTRIES = 1_000_000;

    public static final int DEFAULT_AVG_VALUE_SIZE = 256;

    private static final System.Logger LOG = System.getLogger(MappingStorage.class.getName());

    private final String name;
    private final OffHeapMap store;
    private final CommitLock commitLock;
    private final ConcurrentHashMap<Long, OldRev> older = new ConcurrentHashMap<>();
    private final ViewRegistry views = new ViewRegistry();
    /** Who may still read an older revision: the open snapshots and readers at the published tid. */
    private final RevisionChains.Need readers = RevisionChains.readersOf(views, () -> this.lastTid);

    private final CopyOnWriteArrayList<CommitListener> listeners = new CopyOnWriteArrayList<>();
    private final OidCounter nextOid = new OidCounter();
    private final AtomicLong olderRevisions = new AtomicLong();
    private final AtomicLong liveObjects = new AtomicLong();
    /** Next key for a chunk of a spilled record: counting up, never reused. */
    private final AtomicLong nextChunkKey = new AtomicLong(1);

    private final RecentCommits recent = new RecentCommits();
    /** The last published tid: what loads, views and {@link #lastTid()} see. */
    private volatile long lastTid = Tid.ZERO;
    /** The last tid applied to the map (published or, on a persisted storage, awaiting its journal force). */
    private volatile long appliedTid = Tid.ZERO;

    private volatile boolean closed;
    private final Object applyGuard = new Object();
    /** Persisted only: shares journal forces among concurrent committers and publishes after them. */
    private final GroupSync groupSync;
    /** Persisted only: commits applied and appended, in tid order, not yet published. */
    private final ConcurrentLinkedQueue<Applied> unpublished = new ConcurrentLinkedQueue<>();

    /** A commit applied to the map whose publication waits for its journal force. */
    private record Applied(long tid, long[] oids, RecordCodec.Head[] olds) {}

    private MappingStorage(String name, OffHeapMap store) {
        this.name = name;
        this.store = store;
        this.commitLock = new CommitLock("storage '" + name + "'");
        if (store.persisted()) recoverCounters();
        appliedTid = lastTid;
        groupSync = store.persisted()
                ? new GroupSync(
                        new GroupSync.Work() {
                            @Override
                            public void force() {
                                store.journal.force();
                            }

                            @Override
                            public void publishUpTo(long tid) {
                                publishApplied(tid);
                            }
                        },
                        lastTid)
                : null;
    }

    /** A storage in memory only, sized for {@code entries} objects of about {@code avgValueSize} bytes. */
    public static MappingStorage inMemory(String name, long entries, int avgValueSize) {
        return new MappingStorage(name, OffHeapMap.inMemory(name, entries, avgValueSize + 64.0));
    }

    /**
     * A storage persisted to {@code file}, created if missing (then sized as given; an
     * existing file keeps the sizing it was created with) or reopened with every committed
     * transaction, recovering from a crash if the last user did not close it.
     */
    public static MappingStorage persisted(String name, Path file, long entries, int avgValueSize) {
        return persisted(name, file, entries, avgValueSize, true);
    }

    /**
     * As {@link #persisted(String, Path, long, int)}; with {@code mayCreate} false a missing
     * file is an error and nothing is created (the open mode of commands that only read).
     */
    public static MappingStorage persisted(String name, Path file, long entries, int avgValueSize, boolean mayCreate) {
        return new MappingStorage(name, OffHeapMap.persisted(name, file, entries, avgValueSize + 64.0, mayCreate));
    }

    private void recoverCounters() {
        if (store.recoveryNote != null) LOG.log(System.Logger.Level.WARNING, store.recoveryNote);
        CommitJournal.Slot last = store.trusted;
        if (last != null) {
            lastTid = last.tid();
            nextOid.atLeast(last.nextOid());
            liveObjects.set(last.liveObjects());
            nextChunkKey.set(Math.max(1, last.nextChunkKey()));
            return;
        }
        // No journal (a map from elsewhere), or one older than the map: derive the counters from the map itself.
        long[] max = {Tid.ZERO, 0, 0, 1};
        if (store.chunksIfAny() != null) store.chunksIfAny().forEach((key, c) -> max[3] = Math.max(max[3], key + 1));
        store.map.forEach((key, v) -> {
            max[0] = Math.max(max[0], RecordCodec.tid(v));
            max[1] = Math.max(max[1], key + 1);
            if (RecordCodec.hasData(v)) max[2]++;
        });
        lastTid = max[0];
        nextOid.atLeast(max[1]);
        liveObjects.set(max[2]);
        nextChunkKey.set(max[3]);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Capability> capabilities() {
        return store.persisted() ? Set.of(Capability.PACK, Capability.DURABLE) : Set.of(Capability.PACK);
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

    /** The revision visible at {@code tid}; with {@code followNewer} a revision trimmed meanwhile sends us to the newer tid. */
    Loaded loadAt(long oid, long tid, boolean followNewer) {
        byte[] missingIn = null;
        while (true) {
            byte[] v = store.map.get(oid);
            if (v == null) throw new PosKeyException(oid, "storage '" + name + "' has no record of it");
            RecordCodec.Head head;
            try {
                head = decode(oid, v);
            } catch (RecordCodec.ChunkMissing missing) {
                missingIn = checkReplaced(oid, v, missingIn);
                continue; // the old value now sits in the side chain: read again
            }
            if (head.tid() <= tid) {
                if (head.data() == null) throw deleted(oid, head.tid());
                return new Loaded(oid, head.tid(), head.data(), Tid.ZERO);
            }
            OldRev chain = older.get(oid);
            RevisionChains.Seen seen;
            OldRev found = null;
            long next = head.tid();
            if (chain == null) {
                seen = tid < head.createdTid() ? RevisionChains.Seen.ABSENT : RevisionChains.Seen.DROPPED;
            } else {
                RevisionChains.Visible<OldRev> seenIn = RevisionChains.visibleAt(chain, tid);
                seen = seenIn.seen();
                found = seenIn.found();
                next = seenIn.nextTid(head.tid());
            }
            if (seen == RevisionChains.Seen.DROPPED) {
                long now = lastTid;
                if (followNewer && now != tid) {
                    tid = now;
                    continue;
                }
                throw new ReadConflictException(
                        oid,
                        null,
                        tid,
                        head.tid(),
                        "storage '" + name
                                + "' (mem:) no longer keeps the revision current at that tid; it keeps only what open views need");
            }
            if (seen == RevisionChains.Seen.ABSENT) {
                throw new PosKeyException(
                        oid, "storage '" + name + "' has no revision of it at tid " + Tid.describe(tid));
            }
            if (found.data == null) throw deleted(oid, found.tid);
            return new Loaded(oid, found.tid, found.data, next > lastTid ? Tid.ZERO : next);
        }
    }

    private PosKeyException deleted(long oid, long tid) {
        return new PosKeyException(oid, "deleted by transaction " + Tid.describe(tid) + " in storage '" + name + "'");
    }

    @Override
    public Loaded loadSerial(long oid, long tid) {
        checkOpen();
        RecordCodec.Head head = tid > lastTid ? null : stableHead(oid);
        if (head != null) {
            if (head.tid() == tid && head.data() != null) return new Loaded(oid, tid, head.data(), Tid.ZERO);
            OldRev r = RevisionChains.exactly(older.get(oid), tid);
            if (r != null && r.data != null) return new Loaded(oid, tid, r.data, Tid.ZERO);
        }
        throw new PosKeyException(
                oid,
                "storage '" + name + "' keeps no revision with data written by tid " + Tid.describe(tid)
                        + " (mem: keeps only the current revision and those open views need)");
    }

    @Override
    public long[] newOids(int count) {
        checkOpen();
        return nextOid.take(name, count);
    }

    @Override
    public StorageTransaction begin(TransactionMetadata metadata) {
        checkOpen();
        return new MappingTransaction(this, metadata);
    }

    @Override
    public StorageView openView() {
        checkOpen();
        return new SnapshotView(snapshots);
    }

    @Override
    public CloseableIterator<TransactionRecord> iterator(long fromTid, long toTid) {
        checkOpen();
        return new CurrentStateIterator(this, views.register(() -> lastTid), fromTid, toTid);
    }

    @Override
    public List<HistoryEntry> history(long oid, int max) {
        checkOpen();
        if (max < 0)
            throw new StorageMisuseException(
                    "storage '" + name + "': history(" + Oid.describe(oid) + ", " + max + "): max must be at least 0");
        long last = lastTid;
        List<HistoryEntry> out = new ArrayList<>();
        RecordCodec.Head head = stableHead(oid);
        if (head == null || max == 0) return out;
        if (head.tid() <= last)
            out.add(new HistoryEntry(oid, head.tid(), head.data() == null ? -1 : head.data().length, head.metadata()));
        for (OldRev r : RevisionChains.published(older.get(oid), last, Integer.MAX_VALUE)) {
            if (out.size() >= max) break;
            if (r.tid >= head.tid()) continue; // a commit installing right now: the map's head says it
            out.add(new HistoryEntry(oid, r.tid, r.data == null ? -1 : r.data.length, r.metadata));
        }
        return out;
    }

    @Override
    public PackResult pack(long beforeTid, PackProgress progress) {
        checkOpen();
        commitLock.acquire();
        try {
            awaitPublished(appliedTid); // pack works on the published state: let every applied commit through
            return new MappingPacker(this).pack(beforeTid, progress == null ? PackProgress.NONE : progress);
        } finally {
            commitLock.release();
        }
    }

    @Override
    public void restore(TransactionRecord txn) {
        checkOpen();
        commitLock.acquire();
        try {
            if (txn.tid() <= appliedTid) {
                throw new StorageMisuseException("storage '" + name + "': restore of tid " + Tid.describe(txn.tid())
                        + " not greater than last " + Tid.describe(appliedTid) + " (expected: increasing tids)");
            }
            Map<Long, PendingWrite> byOid = new LinkedHashMap<>();
            for (Revision r : txn.revisions())
                byOid.put(r.oid(), new PendingWrite(r.oid(), Tid.ZERO, r.data(), r.dataTid()));
            checkCapacity(byOid.values());
            install(txn.tid(), txn.metadata(), byOid.values());
            awaitPublished(txn.tid());
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
        checkOpen();
        return store.sizeInBytes();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        commitLock.close();
        // A finish that is changing the map right now completes first; later ones see
        // the storage closed under the same guard and change nothing. Commits applied and
        // waiting for their journal force get it (and are told to listeners) before the
        // files close.
        synchronized (applyGuard) {
            if (groupSync != null) {
                try {
                    groupSync.await(appliedTid);
                } catch (RuntimeException failed) {
                    LOG.log(System.Logger.Level.WARNING, failed.getMessage());
                }
            }
            listeners.clear();
            store.close();
        }
    }

    @Override
    public String toString() {
        return "MappingStorage[" + name + ", last " + Tid.hex(lastTid) + ", " + liveObjects.get() + " objects]";
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
            return MappingStorage.this.loadAt(oid, tid, false);
        }

        @Override
        public Invalidations changedBetween(long fromTid, long toTid) {
            return recent.between(fromTid, toTid);
        }

        @Override
        public void released(ViewRegistry.Ticket ticket) {
            viewReleased(ticket);
        }

        @Override
        public void checkOpen() {
            MappingStorage.this.checkOpen();
        }
    };

    /** What its transactions need of the storage (the shared MVCC transaction's view of it). */
    private final MvccTransaction.Store txnStore = new MvccTransaction.Store() {
        @Override
        public void checkOpen() {
            MappingStorage.this.checkOpen();
            if (groupSync != null) groupSync.checkHealthy();
        }

        @Override
        public CommitLock commitLock() {
            return commitLock;
        }

        @Override
        public long lastTid() {
            return appliedTid;
        }

        @Override
        public MvccTransaction.Current current(long oid) {
            RecordCodec.Head h = head(oid);
            return h == null ? null : new MvccTransaction.Current(h.tid(), h.data());
        }

        @Override
        public void commit(long tid, TransactionMetadata metadata, List<PendingWrite> writes) {
            install(tid, metadata, writes);
        }

        @Override
        public void awaitPublished(long tid) {
            MappingStorage.this.awaitPublished(tid);
        }
    };

    // ---- package-private ----

    MvccTransaction.Store txnStore() {
        return txnStore;
    }

    CommitLock commitLock() {
        return commitLock;
    }

    ViewRegistry views() {
        return views;
    }

    OffHeapMap store() {
        return store;
    }

    ConcurrentHashMap<Long, OldRev> older() {
        return older;
    }

    AtomicLong liveObjects() {
        return liveObjects;
    }

    long peekNextOid() {
        return nextOid.peek();
    }

    long peekNextChunkKey() {
        return nextChunkKey.get();
    }

    RecentCommits recent() {
        return recent;
    }

    /** Older revisions kept on the heap right now (diagnostic: bounded by open views). */
    long olderRevisionCount() {
        return olderRevisions.get();
    }

    int openViews() {
        return views.size();
    }

    /** Journal forces since open (diagnostic: group commit makes them fewer than commits); 0 in memory. */
    long journalForces() {
        return store.journal == null ? 0 : store.journal.forces();
    }

    /** Records completed from the journal when this storage was opened (diagnostic). */
    int redoneAtOpen() {
        return store.redoneAtOpen;
    }

    void checkOpen() {
        if (closed) throw new StorageClosedException("storage '" + name + "'");
    }

    /** The decoded current value, or null. Under the commit lock (nothing replaces it meanwhile). */
    RecordCodec.Head head(long oid) {
        byte[] v = store.map.get(oid);
        return v == null ? null : decode(oid, v);
    }

    /** The decoded current value, or null, read again if a commit replaced it while we read it. */
    RecordCodec.Head stableHead(long oid) {
        byte[] missingIn = null;
        while (true) {
            byte[] v = store.map.get(oid);
            if (v == null) return null;
            try {
                return decode(oid, v);
            } catch (RecordCodec.ChunkMissing missing) {
                missingIn = checkReplaced(oid, v, missingIn);
            }
        }
    }

    /**
     * A chunk of value {@code v} is missing. A commit that replaced the value meanwhile explains
     * it once: read again. The same value missing a chunk twice was not replaced: the chunk is
     * gone from the file (a damaged or partly copied file), and reading again would spin forever.
     * Returns the value to compare the next read with.
     */
    private byte[] checkReplaced(long oid, byte[] v, byte[] missingBefore) {
        if (missingBefore != null && java.util.Arrays.equals(missingBefore, v)) {
            long[] range = RecordCodec.chunkRange(v);
            throw new org.cairndb.storage.CorruptDataException("storage '" + name + "': record of oid "
                    + Oid.describe(oid)
                    + " is spilled into chunks " + (range == null ? "?" : range[0] + ".." + (range[0] + range[1] - 1))
                    + " and a chunk is missing from the file (not replaced by a commit): the file is damaged;"
                    + " restore it from a backup or copy the readable objects out with migrate-tool");
        }
        return v;
    }

    RecordCodec.Head decode(long oid, byte[] v) {
        return RecordCodec.decode(oid, v, store::chunk);
    }

    /** Chunk entries a record of this size takes (0 when stored inline). */
    int chunksFor(byte[] data) {
        return data == null || data.length <= store.spillThreshold
                ? 0
                : (data.length + store.spillThreshold - 1) / store.spillThreshold;
    }

    /** Refuses, before anything is written, a transaction that would overfill the map. */
    void checkCapacity(Collection<PendingWrite> writes) {
        long fresh = 0;
        long newChunks = 0;
        for (PendingWrite w : writes) {
            if (!store.map.containsKey(w.oid())) fresh++;
            newChunks += chunksFor(w.data());
        }
        var chunkMap = store.chunksIfAny();
        long chunkCount = chunkMap == null ? 0 : chunkMap.longSize();
        if (newChunks > 0 && chunkCount + newChunks > store.chunkCapacity()) {
            throw new org.cairndb.storage.StorageException(
                    "storage '" + name + "' has no room for this transaction's large records: they need "
                            + newChunks + " chunks of " + store.spillThreshold + " bytes, and " + chunkCount
                            + " of the "
                            + store.chunkCapacity() + " chunks are in use (an eighth of entries=" + store.capacity
                            + "). Open a larger one (higher entries or avgValueSize) and copy into it. The transaction was not committed.");
        }
        long size = store.map.longSize();
        if (fresh > 0 && size + fresh > store.capacity) {
            throw new org.cairndb.storage.StorageException("storage '" + name + "' is full: it holds " + size
                    + " objects and this transaction adds " + fresh + ", but it was sized for " + store.capacity
                    + " (URI parameter entries=" + store.capacity + "). Open a larger one (e.g. mem:?entries="
                    + Math.max(2 * store.capacity, size + fresh) + ") and copy into it, or pack to remove garbage."
                    + " The transaction was not committed.");
        }
    }

    /**
     * Installs a voted or restored transaction. Caller holds the commit lock. In memory it is
     * published at once; persisted, its journal slot is appended and it is published by the
     * group sync after the force that covers it ({@link #awaitPublished}, after the lock).
     */
    void install(long tid, TransactionMetadata metadata, Collection<PendingWrite> writes) {
        Applied applied;
        synchronized (applyGuard) {
            checkOpen();
            applied = apply(tid, metadata, writes);
            if (groupSync != null) {
                // under the guard, so that close() drains exactly what was applied
                unpublished.add(applied);
                groupSync.written(tid);
            }
        }
        if (groupSync == null) publish(applied);
    }

    /** Returns when the commit of {@code tid} is published (at once in memory; after its journal force when persisted). */
    void awaitPublished(long tid) {
        if (groupSync != null) groupSync.await(tid);
    }

    /** True if {@code tid} was applied but is not yet published (its journal force is pending). */
    boolean unpublishedTid(long tid) {
        return Long.compareUnsigned(tid, lastTid) > 0 && Long.compareUnsigned(tid, appliedTid) <= 0;
    }

    /** The group sync's leader publishes every applied commit up to {@code tid}, in order. */
    private void publishApplied(long tid) {
        Applied a;
        while ((a = unpublished.peek()) != null && Long.compareUnsigned(a.tid(), tid) <= 0) {
            unpublished.poll();
            publish(a);
        }
    }

    /** Makes an applied commit visible, frees what it replaced that nobody needs, and tells the listeners. */
    private void publish(Applied a) {
        recent.add(a.tid(), a.oids());
        lastTid = a.tid(); // the commit becomes visible here
        for (long oid : a.oids()) trim(oid);
        recent.trim(views.minTid(a.tid()));
        for (RecordCodec.Head old : a.olds()) if (old != null) freeChunks(old.firstChunk(), old.chunks());
        for (CommitListener l : listeners) {
            try {
                l.committed(a.tid(), a.oids());
            } catch (RuntimeException ignored) {
                // a listener's failure must not hide a published commit
            }
        }
    }

    private Applied apply(long tid, TransactionMetadata metadata, Collection<PendingWrite> writes) {
        RecordCodec.EncodedMetadata meta = new RecordCodec.EncodedMetadata(metadata);
        int n = writes.size();
        long[] oids = new long[n];
        byte[][] oldRaw = new byte[n][];
        RecordCodec.Head[] olds = new RecordCodec.Head[n];
        List<CommitJournal.Entry> entries = new ArrayList<>(n);
        List<CommitJournal.Entry> chunkEntries = new ArrayList<>();
        long live = liveObjects.get();
        long maxOid = -1;
        long chunkKey = nextChunkKey.get();
        int i = 0;
        for (PendingWrite w : writes) {
            byte[] raw = store.map.get(w.oid());
            RecordCodec.Head old = raw == null ? null : decode(w.oid(), raw);
            long created = old == null ? tid : old.createdTid();
            int chunks = chunksFor(w.data());
            if (chunks == 0) {
                entries.add(new CommitJournal.Entry(
                        w.oid(), RecordCodec.encode(tid, w.dataTid(), created, n, i, meta, w.data())));
            } else {
                byte[] d = w.data();
                long first = chunkKey;
                for (int c = 0; c < chunks; c++) {
                    int from = c * store.spillThreshold;
                    chunkEntries.add(new CommitJournal.Entry(
                            chunkKey++,
                            java.util.Arrays.copyOfRange(d, from, Math.min(d.length, from + store.spillThreshold)),
                            true));
                }
                entries.add(new CommitJournal.Entry(
                        w.oid(), RecordCodec.spilled(tid, w.dataTid(), created, n, i, meta, d.length, first, chunks)));
            }
            boolean had = old != null && old.data() != null;
            if (w.data() != null && !had) live++;
            if (w.data() == null && had) live--;
            oids[i] = w.oid();
            oldRaw[i] = raw;
            olds[i++] = old;
            maxOid = Math.max(maxOid, w.oid());
        }
        long next = Math.max(nextOid.peek(), maxOid + 1);
        long chunkKeyAfter = chunkKey;
        List<CommitJournal.Entry> journaled = entries;
        if (!chunkEntries.isEmpty()) {
            journaled = new ArrayList<>(chunkEntries); // chunks before the values that point to them
            journaled.addAll(entries);
        }
        store.append(tid, next, live, chunkKeyAfter, journaled);
        nextChunkKey.set(chunkKeyAfter);
        for (int k = 0; k < n; k++) {
            RecordCodec.Head old = olds[k];
            if (old == null) continue;
            older.compute(oids[k], (oid, chain) -> {
                long gapBelowOld = chain != null ? chain.gapMin : old.hasOlder() ? old.createdTid() : OldRev.NO_GAP;
                OldRev below = chain != null ? chain.prev : null;
                olderRevisions.incrementAndGet();
                return OldRev.shadow(
                        tid,
                        new OldRev(
                                old.tid(),
                                old.dataTid(),
                                old.data(),
                                old.metadata(),
                                old.txnSize(),
                                old.position(),
                                false,
                                gapBelowOld,
                                below));
            });
        }
        int put = 0;
        try {
            for (CommitJournal.Entry c : chunkEntries) store.chunks().put(c.key(), c.value());
            for (CommitJournal.Entry e : entries) {
                store.map.put(e.oid(), e.value());
                put++;
            }
        } catch (RuntimeException full) {
            undoPuts(oids, oldRaw, put);
            for (CommitJournal.Entry c : chunkEntries) store.chunks().remove(c.key());
            CommitJournal.Entry refused = entries.get(put);
            throw new org.cairndb.storage.StorageException(
                    "storage '" + name + "': the off-heap map refused the record of oid "
                            + org.cairndb.storage.Oid.describe(refused.oid()) + " (" + refused.value().length
                            + " bytes stored): " + full.getMessage()
                            + ". The map is sized too small for such records (URI parameters entries=" + store.capacity
                            + " and avgValueSize): open a larger one and copy into it. The transaction was not committed.",
                    full);
        }
        liveObjects.set(live);
        appliedTid = tid; // the next commit's tid is greater; readers still see lastTid
        nextOid.atLeast(next);
        return new Applied(tid, oids, olds);
    }

    /** Removes a replaced or removed record's chunks (its data lives on in a side chain if needed). */
    void freeChunks(long first, int count) {
        for (int c = 0; c < count; c++) store.chunks().remove(first + c);
    }

    /** Puts back what a failed apply replaced, and supersedes its journal record so no reopen redoes it. */
    private void undoPuts(long[] oids, byte[][] oldRaw, int put) {
        for (int k = 0; k < put; k++) {
            if (oldRaw[k] == null) store.map.remove(oids[k]);
            else store.map.put(oids[k], oldRaw[k]);
        }
        store.journal(appliedTid, nextOid.peek(), liveObjects.get(), nextChunkKey.get(), List.of());
        for (long oid : oids) trim(oid);
    }

    /** Drops the older revisions of {@code oid} that neither the published tid nor an open snapshot can see. */
    void trim(long oid) {
        older.computeIfPresent(oid, (k, chain) -> {
            int[] dropped = {0};
            OldRev t = OldChains.trim(chain, readers, dropped);
            olderRevisions.addAndGet(-dropped[0]);
            return t;
        });
    }

    /** A snapshot ended: if it was the oldest, revisions only it needed go now. */
    void viewReleased(ViewRegistry.Ticket ticket) {
        if (views.unregister(ticket) && !closed) {
            for (Long oid : older.keySet()) trim(oid);
        }
    }

    /** The commit lock's figures, for the server's status report. */
    @Override
    public CommitLock.Stats commitLockStats() {
        return commitLock.stats();
    }
}
