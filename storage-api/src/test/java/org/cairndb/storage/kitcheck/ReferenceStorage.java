package org.cairndb.storage.kitcheck;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageClosedException;
import org.cairndb.storage.StorageMisuseException;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;
import org.cairndb.storage.UndoException;
import org.cairndb.storage.conflict.ResolverRegistry;
import org.cairndb.storage.spi.AbstractStorageTransaction;
import org.cairndb.storage.spi.CommitLock;
import org.cairndb.storage.spi.PendingWrite;

/**
 * NOT A STORAGE: the kit's own check object. The simplest code that meets the Storage
 * contract, written only so the conformance kit can be run (and shown able to pass, and to
 * fail) inside storage-api before real storages exist. It keeps every revision on the heap
 * under one monitor, with no attention to speed or memory.
 *
 * <p>Concurrency: state is guarded by {@code this}; the commit lock (a {@link CommitLock}) is
 * held from vote to finish/abort, so commits are serial and publication is one monitor
 * section, atomic for readers. The capabilities it reports are chosen by the constructor
 * (it always keeps history internally) so the kit's skipping can be exercised too.
 */
public final class ReferenceStorage implements Storage {
    private final String name;
    private final Set<Capability> capabilities;
    private final ResolverRegistry resolvers;
    private final CommitLock commitLock;
    private final AtomicLong nextOid = new AtomicLong(1);
    private final CopyOnWriteArrayList<CommitListener> listeners = new CopyOnWriteArrayList<>();
    /** oid → tid → revision (data null: no data). */
    private final Map<Long, TreeMap<Long, Revision>> revisions = new HashMap<>();

    private final TreeMap<Long, TransactionRecord> transactions = new TreeMap<>();
    private volatile long lastTid = Tid.ZERO;
    private volatile boolean closed;
    /** The highest beforeTid of a pack: views older than it may miss revisions. */
    private long packedBefore = Tid.ZERO;

    public ReferenceStorage(String name, Set<Capability> capabilities) {
        this.name = name;
        this.capabilities = capabilities.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(capabilities);
        this.resolvers = supports(Capability.CONFLICT_RESOLUTION) ? ResolverRegistry.fromClassPath() : null;
        this.commitLock = new CommitLock(name);
    }

    /** Everything the kit can test. */
    public static ReferenceStorage full(String name) {
        return new ReferenceStorage(
                name, EnumSet.of(Capability.HISTORY, Capability.UNDO, Capability.PACK, Capability.CONFLICT_RESOLUTION));
    }

    private void requireOpen() {
        if (closed) throw new StorageClosedException("storage '" + name + "'");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.copyOf(capabilities);
    }

    @Override
    public long lastTid() {
        requireOpen();
        return lastTid;
    }

    @Override
    public synchronized Loaded load(long oid) {
        requireOpen();
        return loadAt(oid, lastTid, "it has no current data");
    }

    private Loaded loadAt(long oid, long atTid, String missing) {
        TreeMap<Long, Revision> revs = revisions.get(oid);
        Map.Entry<Long, Revision> e = revs == null ? null : revs.floorEntry(atTid);
        if (e == null || e.getValue().data() == null) {
            throw new PosKeyException(oid, missing + " in storage '" + name + "'");
        }
        Long next = revs.higherKey(e.getKey());
        return new Loaded(oid, e.getKey(), e.getValue().data().clone(), next == null ? Tid.ZERO : next);
    }

    @Override
    public synchronized Loaded loadBefore(long oid, long beforeTid) {
        requireOpen();
        if (beforeTid == Tid.ZERO) throw new PosKeyException(oid, "nothing is before tid 0");
        return loadAt(oid, beforeTid - 1, "no data before tid " + Tid.describe(beforeTid));
    }

    @Override
    public synchronized Loaded loadSerial(long oid, long tid) {
        requireOpen();
        TreeMap<Long, Revision> revs = revisions.get(oid);
        Revision r = revs == null ? null : revs.get(tid);
        if (r == null || r.data() == null)
            throw new PosKeyException(oid, "no data written by tid " + Tid.describe(tid));
        Long next = revs.higherKey(tid);
        return new Loaded(oid, tid, r.data().clone(), next == null ? Tid.ZERO : next);
    }

    @Override
    public long[] newOids(int count) {
        requireOpen();
        if (count < 0)
            throw new StorageMisuseException("storage '" + name + "': newOids(" + count + "): count must be >= 0");
        long first = nextOid.getAndAdd(count);
        long[] oids = new long[count];
        for (int i = 0; i < count; i++) oids[i] = first + i;
        return oids;
    }

    @Override
    public StorageTransaction begin(TransactionMetadata metadata) {
        requireOpen();
        return new Txn(metadata);
    }

    @Override
    public synchronized StorageView openView() {
        requireOpen();
        return new View(lastTid);
    }

    @Override
    public synchronized CloseableIterator<TransactionRecord> iterator(long fromTid, long toTid) {
        requireOpen();
        if (fromTid > toTid)
            return CloseableIterator.of(List.<TransactionRecord>of().iterator());
        return CloseableIterator.of(
                new ArrayList<>(transactions.subMap(fromTid, true, toTid, true).values()).iterator());
    }

    @Override
    public synchronized List<HistoryEntry> history(long oid, int max) {
        requireOpen();
        if (max < 0)
            throw new StorageMisuseException(
                    "storage '" + name + "': history(" + Oid.describe(oid) + ", " + max + "): max must be >= 0");
        TreeMap<Long, Revision> revs = revisions.get(oid);
        List<HistoryEntry> out = new ArrayList<>();
        if (revs == null) return out;
        for (Revision r : revs.descendingMap().values()) {
            if (out.size() == max) break;
            out.add(new HistoryEntry(
                    oid,
                    r.tid(),
                    r.data() == null ? -1 : r.data().length,
                    transactions.get(r.tid()).metadata()));
        }
        return out;
    }

    @Override
    public PackResult pack(long beforeTid, PackProgress progress) {
        requireOpen();
        if (!supports(Capability.PACK)) throw new UnsupportedOperationException("storage '" + name + "' does not pack");
        commitLock.acquire();
        try {
            synchronized (this) {
                return packLocked(beforeTid, progress);
            }
        } finally {
            commitLock.release();
        }
    }

    private PackResult packLocked(long beforeTid, PackProgress progress) {
        packedBefore = Math.max(packedBefore, beforeTid);
        long removedRevisions = 0;
        Set<Long> touchedTids = new TreeSet<>();
        // 1. old revisions: keep the one current at beforeTid and all later ones.
        for (TreeMap<Long, Revision> revs : revisions.values()) {
            Long keepFrom = revs.floorKey(beforeTid);
            if (keepFrom == null) continue;
            NavigableMap<Long, Revision> old = revs.headMap(keepFrom, false);
            removedRevisions += old.size();
            touchedTids.addAll(old.keySet());
            old.clear();
        }
        progress.progress("revisions", revisions.size(), revisions.size());
        // 2. reachability from the root and from foreign records, through every kept revision.
        Set<Long> reachable = new TreeSet<>();
        ArrayDeque<Long> todo = new ArrayDeque<>();
        todo.add(Oid.ROOT);
        revisions.forEach((oid, revs) -> {
            for (Revision r : revs.values())
                if (r.data() != null && !RecordHeader.isCairnRecord(r.data())) todo.add(oid);
        });
        while (!todo.isEmpty()) {
            long oid = todo.poll();
            if (!reachable.add(oid)) continue;
            TreeMap<Long, Revision> revs = revisions.get(oid);
            if (revs == null) continue;
            for (Revision r : revs.values()) {
                long[] refs = r.data() == null ? null : RecordHeader.referencesOf(r.data());
                if (refs != null) for (long ref : refs) todo.add(ref);
            }
        }
        long removedObjects = 0;
        for (var it = revisions.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            TreeMap<Long, Revision> revs = e.getValue();
            boolean deletedBeforePack = revs.lastEntry().getValue().data() == null && revs.lastKey() <= beforeTid;
            boolean unreachableBeforePack = !reachable.contains(e.getKey()) && revs.lastKey() <= beforeTid;
            if (deletedBeforePack || unreachableBeforePack) {
                removedRevisions += revs.size();
                touchedTids.addAll(revs.keySet());
                if (!deletedBeforePack) removedObjects++;
                it.remove();
            }
        }
        // 3. transactions that lost revisions are marked packed; empty ones disappear.
        for (long tid : touchedTids) {
            TransactionRecord t = transactions.get(tid);
            List<Revision> kept = new ArrayList<>();
            for (Revision r : t.revisions()) {
                TreeMap<Long, Revision> revs = revisions.get(r.oid());
                if (revs != null && revs.containsKey(tid)) kept.add(r);
            }
            if (kept.isEmpty()) transactions.remove(tid);
            else transactions.put(tid, new TransactionRecord(tid, true, t.metadata(), kept));
        }
        long kept = revisions.values().stream()
                .filter(r -> r.lastEntry().getValue().data() != null)
                .count();
        return new PackResult(removedRevisions, removedObjects, kept);
    }

    @Override
    public void restore(TransactionRecord txn) {
        requireOpen();
        commitLock.acquire();
        try {
            synchronized (this) {
                if (Long.compareUnsigned(txn.tid(), lastTid) <= 0) {
                    throw new StorageMisuseException("storage '" + name + "': restore of tid " + Tid.describe(txn.tid())
                            + " not greater than last " + Tid.describe(lastTid) + " (expected: increasing tids)");
                }
                List<Revision> revs = new ArrayList<>();
                for (Revision r : txn.revisions()) {
                    revs.add(new Revision(
                            r.oid(),
                            txn.tid(),
                            r.data() == null ? null : r.data().clone(),
                            r.dataTid()));
                }
                publish(new TransactionRecord(txn.tid(), txn.packed(), txn.metadata(), revs));
            }
        } finally {
            commitLock.release();
        }
    }

    /** Under the monitor and the commit lock. */
    private void publish(TransactionRecord t) {
        for (Revision r : t.revisions()) {
            revisions.computeIfAbsent(r.oid(), k -> new TreeMap<>()).put(t.tid(), r);
            if (Long.compareUnsigned(r.oid(), nextOid.get()) >= 0 && r.oid() > 0) nextOid.set(r.oid() + 1);
        }
        transactions.put(t.tid(), t);
        lastTid = t.tid();
        long[] oids = t.revisions().stream().mapToLong(Revision::oid).toArray();
        for (CommitListener l : listeners) l.committed(t.tid(), oids);
    }

    @Override
    public AutoCloseable addCommitListener(CommitListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public synchronized long objectCount() {
        requireOpen();
        return revisions.values().stream()
                .filter(r -> r.lastEntry().getValue().data() != null)
                .count();
    }

    @Override
    public void close() {
        closed = true;
        commitLock.close();
    }

    private synchronized long currentTid(long oid) {
        TreeMap<Long, Revision> revs = revisions.get(oid);
        return revs == null || revs.isEmpty() ? Tid.ZERO : revs.lastKey();
    }

    private final class Txn extends AbstractStorageTransaction {
        private boolean holdsLock;
        private long tid;
        private final Map<Long, byte[]> finalData = new LinkedHashMap<>();

        Txn(TransactionMetadata metadata) {
            super(name, metadata);
        }

        @Override
        public void store(long oid, long readTid, byte[] data) {
            requireOpen();
            super.store(oid, readTid, data == null ? null : data.clone());
        }

        @Override
        public long[] undo(long undoTid) {
            requireActive("undo");
            requireOpen();
            if (!supports(Capability.UNDO)) return super.undo(undoTid);
            synchronized (ReferenceStorage.this) {
                TransactionRecord t = transactions.get(undoTid);
                if (t == null)
                    throw new UndoException(
                            "storage '" + name + "': no transaction " + Tid.describe(undoTid) + " to undo");
                if (undoTid < packedBefore) {
                    throw new UndoException("storage '" + name + "': cannot undo " + Tid.describe(undoTid)
                            + ": it is older than the last pack time " + Tid.describe(packedBefore)
                            + " (the revisions before it are gone)");
                }
                long[] oids = new long[t.revisions().size()];
                int i = 0;
                for (Revision r : t.revisions()) {
                    TreeMap<Long, Revision> revs = revisions.get(r.oid());
                    if (revs.lastKey() != undoTid) {
                        throw new UndoException("storage '" + name + "': cannot undo " + Tid.describe(undoTid)
                                + ": oid " + Oid.describe(r.oid()) + " was changed since by "
                                + Tid.describe(revs.lastKey()));
                    }
                    Map.Entry<Long, Revision> before = revs.lowerEntry(undoTid);
                    if (before == null) {
                        put(new PendingWrite(r.oid(), undoTid, null, Tid.ZERO));
                    } else {
                        Revision b = before.getValue();
                        put(new PendingWrite(r.oid(), undoTid, b.data(), b.isBackpointer() ? b.dataTid() : b.tid()));
                    }
                    oids[i++] = r.oid();
                }
                return oids;
            }
        }

        @Override
        protected Map<Long, byte[]> doVote() {
            requireOpen();
            commitLock.acquire();
            holdsLock = true;
            requireOpen();
            Map<Long, byte[]> resolved = new LinkedHashMap<>();
            synchronized (ReferenceStorage.this) {
                for (Map.Entry<Long, Long> read : reads().entrySet()) {
                    long current = currentTid(read.getKey());
                    if (current != read.getValue()) {
                        byte[] cur = current == Tid.ZERO
                                ? null
                                : revisions.get(read.getKey()).get(current).data();
                        throw new ReadConflictException(
                                read.getKey(),
                                cur == null ? null : safeClass(cur),
                                read.getValue(),
                                current,
                                "checkCurrent failed");
                    }
                }
                for (PendingWrite w : writes()) {
                    long current = currentTid(w.oid());
                    byte[] data = w.data();
                    if (current != w.readTid()) {
                        TreeMap<Long, Revision> revs = revisions.get(w.oid());
                        byte[] committed =
                                revs == null ? null : revs.get(current).data();
                        Revision anc = revs == null ? null : revs.get(w.readTid());
                        data = resolveOrThrow(resolvers, w, current, committed, anc == null ? null : anc.data());
                        resolved.put(w.oid(), data.clone());
                    }
                    finalData.put(w.oid(), data);
                }
                tid = Tid.next(lastTid);
            }
            return resolved;
        }

        private String safeClass(byte[] d) {
            try {
                return RecordHeader.classNameOf(d);
            } catch (RuntimeException e) {
                return null;
            }
        }

        @Override
        protected long doFinish() {
            try {
                requireOpen();
                synchronized (ReferenceStorage.this) {
                    List<Revision> revs = new ArrayList<>();
                    for (PendingWrite w : writes())
                        revs.add(new Revision(w.oid(), tid, finalData.get(w.oid()), w.dataTid()));
                    publish(new TransactionRecord(tid, false, metadata(), revs));
                }
                return tid;
            } finally {
                holdsLock = false;
                commitLock.release();
            }
        }

        @Override
        protected void doAbort(boolean mayHoldLock) {
            if (holdsLock) {
                holdsLock = false;
                commitLock.release();
            }
        }
    }

    private final class View implements StorageView {
        private long tid;
        private boolean viewClosed;

        View(long tid) {
            this.tid = tid;
        }

        @Override
        public long tid() {
            return tid;
        }

        @Override
        public Loaded load(long oid) {
            if (viewClosed) throw new StorageClosedException("view of storage '" + name + "'");
            requireOpen();
            synchronized (ReferenceStorage.this) {
                TreeMap<Long, Revision> revs = revisions.get(oid);
                Map.Entry<Long, Revision> e = revs == null ? null : revs.floorEntry(tid);
                if (e == null && revs != null && !revs.isEmpty() && tid < packedBefore) {
                    throw new ReadConflictException(
                            oid, null, tid, revs.lastKey(), "the revision this view needs was packed away");
                }
                if (e == null || e.getValue().data() == null)
                    throw new PosKeyException(oid, "no data as of " + Tid.describe(tid));
                Long next = revs.higherKey(e.getKey());
                return new Loaded(oid, e.getKey(), e.getValue().data().clone(), next == null ? Tid.ZERO : next);
            }
        }

        @Override
        public Invalidations sync() {
            if (viewClosed) throw new StorageClosedException("view of storage '" + name + "'");
            requireOpen();
            synchronized (ReferenceStorage.this) {
                long from = tid;
                long to = lastTid;
                TreeSet<Long> oids = new TreeSet<>();
                for (TransactionRecord t :
                        transactions.subMap(from, false, to, true).values()) {
                    for (Revision r : t.revisions()) oids.add(r.oid());
                }
                tid = to;
                return new Invalidations(
                        from, to, oids.stream().mapToLong(Long::longValue).toArray(), false);
            }
        }

        @Override
        public void close() {
            viewClosed = true;
        }
    }

    @Override
    public String toString() {
        return "ReferenceStorage[" + name + " " + capabilities + " " + Arrays.toString(new long[] {lastTid}) + "]";
    }
}
