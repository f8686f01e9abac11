package org.cairndb.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cairndb.client.serial.ObjectCodec;
import org.cairndb.client.serial.References;
import org.cairndb.storage.CorruptDataException;
import org.cairndb.storage.Invalidations;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.Oid;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.ReadOnlyException;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;

/**
 * One connection's part for one mounted storage: its snapshot view, identity map and cache,
 * the objects changed in the current transaction, and its side of two-phase commit.
 *
 * <p>Over 400 lines, one job: ZODB's Connection as data manager, for one storage. Loading
 * (identity map, ghosts, prefetch), change tracking, two-phase commit, sync and savepoints all
 * act on the same identity map and set of changed objects, in an order that matters at every
 * transaction boundary; the cache, the merge and the oid pool are classes of their own already.
 *
 * <h2>The name, for readers from ZODB</h2>
 * In ZODB the "jar" is the {@code Connection}: an object's {@code _p_jar} is the connection
 * that loaded it, which is also the data manager that joins the transaction. A Cairn
 * {@link Connection} can mount several storages and holds one Jar for each: a Jar is one
 * Connection's view of one mounted storage, what {@link Persistent#jar()} returns (ZODB's
 * {@code _p_jar}). It plays the part of one database's Connection in a ZODB multi-database
 * ({@code conn.get_connection(name)}), the Cairn Connection that of the group of them.
 * In short, a Jar is ZODB's Connection in its role as data manager ({@code IDataManager}:
 * it joins the transaction and runs tpc_begin, commit, tpc_vote and tpc_finish against one
 * storage). It is not called Connection because Cairn's {@link Connection} is the handle the
 * application holds, over every mounted storage, and one name for two things would mislead.
 *
 * <h2>Snapshots and invalidations</h2>
 * Every load goes through the connection's {@link StorageView}, so a transaction sees one
 * consistent state of the storage however long it runs. At each transaction boundary the
 * view is synced; the oids it reports changed are turned back into ghosts (reloaded on next
 * touch). Objects this connection itself just committed are kept when the storage still
 * holds exactly the revision written.
 *
 * <h2>Conflicts</h2>
 * The storage transaction of a commit is held by a {@link ClientMerge}: on a storage that
 * only detects conflicts ({@code mem:}) it merges a write conflict on a resolvable object
 * here, with the same resolvers the storage would use, so counters and BTree buckets merge
 * on every storage; it also refuses any merge of an object declared readCurrent (its class
 * comment says why). Objects whose stored state is a merge are turned into ghosts after
 * commit. New objects get their oids from an {@link OidPool}.
 *
 * <h2>Concurrency</h2>
 * None inside: a connection and its objects are used by the connection's thread only, which
 * {@link Connection} checks.
 */
final class Jar implements References {
    private final Connection conn;
    final String mount;
    final Storage storage;
    private final ObjectCodec codec;
    final ObjectCache cache;
    private StorageView view;
    /** Changed and new objects of the current transaction, in order of registration. */
    private final LinkedHashMap<Long, Persistent> changed = new LinkedHashMap<>();
    /** Objects that must be asserted unchanged at commit: oid → serial. */
    private final LinkedHashMap<Long, Long> readCurrent = new LinkedHashMap<>();

    private final ArrayDeque<Persistent> toWrite = new ArrayDeque<>();
    private final OidPool oids;
    private boolean closed;
    private long decodingOid = Persistent.NO_OID;
    // two-phase commit state
    /** The storage transaction of a commit, and the client-side merge of its conflicts. */
    private final ClientMerge merge;

    private final List<Persistent> written = new ArrayList<>();
    private final Map<Long, Long> justCommitted = new HashMap<>();
    /** Objects whose stored record is a merge (oid → record), from the last vote. */
    private Map<Long, byte[]> resolved = Map.of();
    /** The dirty check and debug mode, or null when both are off. */
    private final ChangeWatch watch;

    Jar(Connection conn, String mount, Storage storage, ObjectCodec codec, int cacheObjects, long cacheBytes) {
        this.conn = conn;
        this.mount = mount;
        this.storage = storage;
        this.codec = codec;
        this.cache = new ObjectCache(cacheObjects, cacheBytes);
        this.view = storage.openView();
        this.oids = new OidPool(storage::newOids);
        this.merge = new ClientMerge(storage, () -> conn.database().resolvers());
        Database db = conn.database();
        this.watch = ChangeWatch.of(this, codec, db.dirtyCheck(), db.unregisteredChanges());
    }

    Connection connection() {
        return conn;
    }

    boolean isClosed() {
        return closed;
    }

    long viewTid() {
        return view.tid();
    }

    boolean hasChanges() {
        return !changed.isEmpty() || !readCurrent.isEmpty();
    }

    int changedCount() {
        return changed.size();
    }

    // ---- loading ----

    Persistent get(long oid) {
        conn.checkOpen();
        Persistent p = cache.get(oid);
        if (p != null) return p;
        Loaded l = loadRecord(oid, null);
        RecordHeader.Parsed h = header(l); // parsed once: the class here, the body offset in fill
        Class<? extends Persistent> type = codec.persistentClass(h.header().className(), oid);
        p = codec.newInstance(type);
        p.attach(this, oid, PersistentState.GHOST);
        cache.put(p);
        fill(p, l, h);
        return p;
    }

    /** Loads a ghost's state (called from {@link Persistent#activate()}). */
    void load(Persistent p) {
        checkUsable(p);
        Loaded l = loadRecord(p.oid(), p);
        fill(p, l, header(l));
    }

    /** Asks the view to fetch the records of those oids that are not loaded objects here (see {@link Connection#prefetch}). */
    void prefetch(long[] oids) {
        long[] want = new long[oids.length];
        int n = 0;
        for (long oid : oids) {
            Persistent p = cache.get(oid);
            if (p == null || p.persistentState() == PersistentState.GHOST) want[n++] = oid;
        }
        if (n > 0) view.prefetch(n == oids.length ? want : java.util.Arrays.copyOf(want, n));
    }

    /** Prefetches the ghosts among {@code objects} that belong to {@code conn}, per mounted storage. */
    static void prefetchGhosts(Iterable<? extends Persistent> objects, Connection conn) {
        Map<Jar, long[]> byJar = new LinkedHashMap<>();
        Map<Jar, Integer> counts = new HashMap<>();
        for (Persistent p : objects) {
            Jar j = p.jar();
            if (j == null || j.conn != conn || p.persistentState() != PersistentState.GHOST) continue;
            long[] a = byJar.computeIfAbsent(j, k -> new long[8]);
            int c = counts.getOrDefault(j, 0);
            if (c == a.length) byJar.put(j, a = java.util.Arrays.copyOf(a, c * 2));
            a[c] = p.oid();
            counts.put(j, c + 1);
        }
        for (Map.Entry<Jar, long[]> e : byJar.entrySet()) {
            e.getKey().view.prefetch(java.util.Arrays.copyOf(e.getValue(), counts.get(e.getKey())));
        }
    }

    private Loaded loadRecord(long oid, Persistent ghost) {
        try {
            return view.load(oid);
        } catch (PosKeyException missing) {
            if (ghost != null && ghost.referrer() != Persistent.NO_OID) {
                throw new DanglingReferenceException(
                        describeReferrer(ghost) + " refers to " + ghost.describe()
                                + ", which no longer exists in storage '" + storage.name() + "' (as of tid "
                                + Tid.describe(view.tid()) + "); the reference dangles: was the object removed by pack"
                                + " while still referenced, or written by another tool? Repair the referring object",
                        missing);
            }
            throw missing;
        }
    }

    private RecordHeader.Parsed header(Loaded l) {
        if (!RecordHeader.isCairnRecord(l.data())) {
            throw new ForeignRecordException(
                    "oid " + Oid.describe(l.oid()) + " holds a foreign record (not written by"
                            + " Cairn's object layer): it has no Cairn record header (e.g. a ZODB pickle imported by the migrate"
                            + " tool), so it cannot be loaded as an object. Read it as bytes through the Storage API, or convert it");
        }
        return RecordHeader.parse(l.data());
    }

    private void fill(Persistent p, Loaded l, RecordHeader.Parsed h) {
        String stored = h.header().className();
        if (!stored.equals(p.getClass().getName()) && codec.renamedClass(stored) != p.getClass()) {
            throw new CorruptDataException("oid " + Oid.describe(p.oid()) + " was referenced as a "
                    + p.getClass().getName() + " but its record holds a "
                    + h.header().className());
        }
        long outer = decodingOid;
        decodingOid = p.oid();
        try {
            codec.decodeInto(p, l.data(), h.bodyOffset(), this);
        } finally {
            decodingOid = outer;
        }
        p.setSerial(l.tid());
        merge.loaded(p, l.data());
        p.setState(PersistentState.UP_TO_DATE);
        p.setEstimatedSize(l.data().length);
        p.markAccessed();
        cache.loaded(p);
        if (watch != null) watch.loaded(p);
        ReadCapture.read(this, p.oid(), false); // a fragment being computed depends on this object
    }

    /** "Review oid 0x7 (field Review.book)", found by looking for the ghost in the referrer's fields. */
    private String describeReferrer(Persistent ghost) {
        Persistent ref = cache.get(ghost.referrer());
        if (ref == null) return "the object at oid " + Oid.describe(ghost.referrer());
        String path = FieldPath.find(ref, ghost);
        return ref.describe() + (path == null ? "" : " (field " + path + ")");
    }

    // ---- References (used by the codec) ----

    @Override
    public Persistent resolve(long oid, Class<? extends Persistent> type) {
        Persistent p = cache.get(oid);
        if (p != null) return p;
        p = codec.newInstance(type);
        p.attach(this, oid, PersistentState.GHOST);
        p.setReferrer(decodingOid);
        cache.put(p);
        return p;
    }

    @Override
    public long oidOf(Persistent target) {
        Jar j = target.jar();
        if (j == this) return target.oid();
        if (j == null) {
            adopt(target);
            toWrite.addLast(target);
            return target.oid();
        }
        if (j.conn == conn) {
            throw new ConnectionMisuseException(target.describe() + " lives in storage '" + j.mount
                    + "' but is referenced from storage '" + mount + "': references between mounted storages"
                    + " are not supported; keep its oid (a long) instead");
        }
        throw new ConnectionMisuseException(target.describe() + " belongs to another connection ("
                + j.conn + "); an object can be used by one connection only: load it again through this"
                + " connection with get(oid)");
    }

    /** Makes a transient object part of this connection: new oid, changed, to be written at commit. */
    void adopt(Persistent p) {
        checkWritable(p);
        EnhancementCheck.check(p.getClass());
        long oid = oids.next();
        p.attach(this, oid, PersistentState.CHANGED);
        p.setSerial(Tid.ZERO);
        cache.put(p);
        changed.put(oid, p);
        conn.joined();
    }

    // ---- changes ----

    void register(Persistent p) {
        checkWritable(p);
        p.setState(PersistentState.CHANGED);
        changed.put(p.oid(), p);
        conn.joined();
    }

    /** {@code p} (loaded, with a baseline) is used in this transaction: the dirty check looks at it at commit. */
    void watch(Persistent p) {
        if (watch != null) watch.watch(p);
    }

    /** Before commit and savepoints: finds objects changed without being registered (see {@link ChangeWatch}). */
    void checkUnregistered() {
        if (watch != null) watch.check();
    }

    /** The transaction ended (committed or not). */
    void transactionEnded() {
        if (watch != null) watch.ended();
    }

    void readCurrent(Persistent p) {
        checkUsable(p);
        if (p.persistentState() == PersistentState.GHOST) load(p);
        if (p.serial() != Tid.ZERO) readCurrent.putIfAbsent(p.oid(), p.serial());
        conn.joined();
    }

    void checkUsable(Persistent p) {
        if (closed) {
            throw new ConnectionMisuseException(p.describe() + " was used after its connection was closed"
                    + (p.persistentState() == PersistentState.GHOST
                            ? " (it is a ghost and cannot be loaded any more)"
                            : "")
                    + "; load the object again through an open connection");
        }
        conn.checkThread();
    }

    void checkWritable(Persistent p) {
        checkUsable(p);
        if (conn.transactionManager().current().isReadOnly()) {
            throw new ReadOnlyException("cannot change " + p.describe() + ": the current transaction is read-only"
                    + " (begun with beginReadOnly); begin a normal transaction to change objects");
        }
    }

    // ---- two-phase commit ----

    /** Serializes every changed object (and every new object they reach) into a storage transaction. */
    void tpcBegin(TransactionMetadata md) {
        merge.begin(md);
        written.clear();
        toWrite.addAll(changed.values());
        while (!toWrite.isEmpty()) {
            Persistent p = toWrite.pollFirst();
            byte[] data = codec.encode(p, this);
            merge.store(p.oid(), p.serial(), data);
            p.setEstimatedSize(data.length);
            written.add(p);
        }
        for (Map.Entry<Long, Long> r : readCurrent.entrySet()) {
            if (!changed.containsKey(r.getKey())) merge.checkCurrent(r.getKey(), r.getValue());
        }
    }

    /** Votes, merging here what the storage only detected (see {@link ClientMerge}). */
    void vote() {
        resolved = merge.vote(readCurrent);
    }

    long finish() {
        long tid = merge.finish();
        justCommitted.clear();
        for (Persistent p : written) {
            boolean wasLoaded = p.persistentState() != PersistentState.GHOST;
            p.setSerial(tid);
            if (resolved.containsKey(p.oid())) {
                // the storage merged our state with a concurrent one: ours is not what is stored
                ghostify(p);
            } else {
                p.setState(PersistentState.UP_TO_DATE);
                justCommitted.put(p.oid(), tid);
                merge.loaded(p, merge.staged(p.oid())); // what we stored is now the committed record
                if (watch != null) watch.committed(p, merge.staged(p.oid()));
                if (!p.inRing() || !wasLoaded) cache.loaded(p);
            }
        }
        written.clear();
        changed.clear();
        readCurrent.clear();
        merge.clear();
        resolved = Map.of();
        return tid;
    }

    void tpcAbort() {
        merge.abort();
        written.clear();
        toWrite.clear();
    }

    /** Forgets the transaction's changes: new objects become transient again, changed ones ghosts. */
    void abortChanges() {
        if (watch != null) watch.revert();
        for (Persistent p : changed.values()) {
            if (p.serial() == Tid.ZERO) {
                cache.remove(p);
                p.detach();
            } else {
                ghostify(p);
            }
        }
        changed.clear();
        readCurrent.clear();
    }

    void ghostify(Persistent p) {
        PersistentState s = p.persistentState();
        if (s == PersistentState.GHOST || s == PersistentState.TRANSIENT) return;
        merge.forget(p.oid());
        p.setBaseline(null);
        cache.unloaded(p);
        ObjectCodec.clearState(p);
        p.setState(PersistentState.GHOST);
    }

    /** Moves the view to the storage's latest state and turns what changed into ghosts. */
    void sync() {
        Invalidations inv = view.sync();
        if (inv.all()) {
            for (Persistent p : cache.all()) {
                if (p.persistentState() == PersistentState.UP_TO_DATE) ghostify(p);
            }
        } else {
            for (long oid : inv.oids()) {
                Persistent p = cache.get(oid);
                if (p == null || p.persistentState() != PersistentState.UP_TO_DATE) continue;
                Long mine = justCommitted.get(oid);
                // our own commit is the newest the view sees: nothing after it can have changed the
                // object (the common case, and then no load per committed object, which over a network
                // or a database costs a round trip each)
                if (mine != null && mine == p.serial() && (mine == inv.toTid() || stillCurrent(oid, mine))) continue;
                ghostify(p);
            }
        }
        justCommitted.clear();
        cache.sweep(this::ghostify, false);
    }

    private boolean stillCurrent(long oid, long tid) {
        try {
            return view.load(oid).tid() == tid;
        } catch (RuntimeException e) {
            return false;
        }
    }

    // ---- savepoints ----

    /** The encoded states of the changed objects, to roll back to. */
    Map<Long, byte[]> savepoint() {
        Map<Long, byte[]> states = new LinkedHashMap<>();
        toWrite.addAll(changed.values());
        while (!toWrite.isEmpty()) {
            Persistent p = toWrite.pollFirst();
            states.put(p.oid(), codec.encode(p, this));
        }
        return states;
    }

    void rollback(Map<Long, byte[]> states) {
        if (watch != null) watch.revert();
        for (Persistent p : new ArrayList<>(changed.values())) {
            byte[] saved = states.get(p.oid());
            if (saved != null) {
                ObjectCodec.clearState(p);
                RecordHeader.Parsed h = RecordHeader.parse(saved);
                codec.decodeInto(p, saved, h.bodyOffset(), this);
                p.setState(PersistentState.CHANGED);
            } else {
                changed.remove(p.oid());
                if (p.serial() == Tid.ZERO) {
                    cache.remove(p);
                    p.detach();
                } else {
                    ghostify(p);
                }
            }
        }
        for (Long oid : states.keySet()) {
            Persistent p = cache.get(oid);
            if (p != null && !changed.containsKey(oid)) {
                // reached at savepoint time: it was adopted then and must still be written
                changed.put(oid, p);
            }
        }
    }

    void minimize() {
        cache.sweep(this::ghostify, true);
    }

    void close() {
        closed = true;
        tpcAbort();
        for (Persistent p : changed.values()) if (p.serial() == Tid.ZERO) p.detach();
        changed.clear();
        view.close();
    }
}
