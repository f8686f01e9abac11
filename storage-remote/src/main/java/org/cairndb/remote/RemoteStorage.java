package org.cairndb.remote;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.HelloAnswer;
import org.cairndb.protocol.Message;
import org.cairndb.protocol.Messages;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadReader;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.storage.BulkRestore;
import org.cairndb.storage.Capability;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.CommitListener;
import org.cairndb.storage.HistoryEntry;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.PackProgress;
import org.cairndb.storage.PackResult;
import org.cairndb.storage.ReadOnlyException;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageClosedException;
import org.cairndb.storage.StorageMisuseException;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;
import org.cairndb.storage.uri.StorageUri;

/**
 * A storage served by a Cairn server: {@code cairn://host:port/name?...} (parameters in
 * {@link RemoteOptions}). Implements the whole Storage SPI over one connection; loads are
 * answered from a record cache when it can prove the cached revision valid.
 *
 * <h2>What the client knows: the last tid</h2>
 * {@link #lastTid} is the newest commit whose invalidation this client has applied. The
 * server writes every commit's invalidation to every client (the committer too, before its
 * FINISH answer) in tid order, so after applying the invalidation of tid L the cache holds,
 * for each oid, only revisions current as of L. A view opened at L can therefore use any
 * cached revision with tid &lt;= its own tid, and asks the server (loadBefore tid+1) for the
 * rest.
 *
 * <h2>The load-versus-invalidation race (ZEO's bug), and why it cannot happen here</h2>
 * A load can read revision r in the server just before a commit X of the same object; the
 * server then writes the invalidation of X and afterwards the load's answer (they travel on
 * different threads). Caching r on arrival would keep a stale record forever. So:
 * <ol>
 * <li>before the load is sent, a {@link OidWatch} for its oid is registered;</li>
 * <li>the reading thread, applying an invalidation, raises every watch of the oid to that tid;</li>
 * <li>the reading thread, decoding the answer, caches it only if it is current at the server
 *     ({@code nextTid == 0}) and not older than the highest invalidation its watch saw.</li>
 * </ol>
 * Puts and drops both happen in the thread reading the connection (one at a time), in wire order, and drops only remove a
 * revision older than the invalidating tid, so an answer that already has X survives a late
 * invalidation of X. The race test hammers exactly this.
 *
 * <h2>Why over 400 lines</h2>
 * It implements the whole Storage SPI (loads, views and their prefetch, iteration, history, oids, pack,
 * restore, listeners), each method a short request over {@link ClientConnection}; the cache
 * rules above are the only hard part, and the transaction, view, iterator and cache are
 * classes of their own already.
 *
 * <h2>Reconnecting</h2>
 * The handshake carries {@link #lastTid}; the server answers with the oids changed since
 * (dropped here) or "all" when its history does not reach back (the cache is emptied). Caches
 * are kept otherwise: a server restart costs the changed records, not the cache.
 */
public final class RemoteStorage implements Storage, BulkRestore, org.cairndb.storage.FragmentTier {
    private final RemoteOptions options;
    private final ClientConnection conn;
    final RecordCache cache;
    private final InvalidationLog log;
    private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<Long, OidWatch> watches = new ConcurrentHashMap<>();
    private final AtomicLong txnIds = new AtomicLong();
    private final AtomicLong viewIds = new AtomicLong();
    /** The random half of this client's transaction tokens (the other half is the transaction id): see {@link RemoteTransaction}. */
    final long tokenHi = new java.security.SecureRandom().nextLong();

    private volatile long lastTid;
    private volatile Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
    private volatile String serverName = "";
    private volatile boolean readOnly;
    private volatile boolean everConnected;
    private volatile boolean closed;

    private RemoteStorage(RemoteOptions options) {
        this.options = options;
        PersistentCache pc = options.cacheFile == null
                ? null
                : new PersistentCache(
                        options.cacheFile, options.cacheEntries, options.cacheRecordBytes, options.describe());
        this.cache = new RecordCache(options.cacheBytes, pc);
        this.lastTid = pc == null ? 0 : pc.lastTid();
        this.log = new InvalidationLog(100_000, lastTid);
        this.conn = new ClientConnection(this, options);
        try {
            conn.open();
        } catch (RuntimeException e) {
            conn.close();
            cache.close();
            throw e;
        }
    }

    /** Opens and connects; fails with the reason (no server, refused credentials, unknown storage). */
    public static RemoteStorage open(String uri) {
        return open(StorageUri.parse(uri));
    }

    public static RemoteStorage open(StorageUri uri) {
        return new RemoteStorage(new RemoteOptions(uri));
    }

    // ---- reading side (ClientConnection's reader): handshake, invalidations, load answers

    boolean everConnected() {
        return everConnected;
    }

    void applyHello(Frame f, long sentTid) {
        HelloAnswer a = HelloAnswer.read(f); // its version was checked by the server
        serverName = a.storageName();
        Set<Capability> caps = Messages.capabilities(a.capabilities());
        long serverLast = a.lastTid();
        boolean all = a.all();
        long[] oids = a.oids();
        readOnly = a.readOnly();
        if (readOnly) caps.add(Capability.READ_ONLY);
        capabilities = caps;
        if (all) {
            cache.clear(serverLast);
            log.reset(serverLast);
        } else if (serverLast != sentTid && sentTid != 0) {
            cache.invalidate(sentTid, serverLast, oids, false);
            for (long oid : oids) raiseWatch(oid, serverLast);
            log.add(serverLast, oids);
        } else if (sentTid == 0) {
            cache.invalidate(
                    0,
                    serverLast,
                    new long[0],
                    false); // a first connection, nothing cached: the memory level learns its tid
            log.reset(serverLast);
        } else {
            cache.invalidate(
                    sentTid,
                    serverLast,
                    new long[0],
                    false); // reconnected, nothing changed: the memory level learns its tid
        }
        cache.setLastTid(serverLast);
        lastTid = serverLast;
        everConnected = true;
        // listeners learn what changed while this client was away, as from an INVALIDATE
        if (all && sentTid != 0) {
            for (CommitListener l : listeners) l.lostTrack(serverLast);
        } else if (serverLast != sentTid && sentTid != 0) {
            for (CommitListener l : listeners) l.committed(serverLast, oids);
        }
    }

    void applyInvalidation(Frame f) {
        Message.Invalidate inv = (Message.Invalidate) Message.decode(f);
        long tid = inv.tid();
        long[] oids = inv.oids();
        cache.invalidate(lastTid, tid, oids, true);
        for (long oid : oids) raiseWatch(oid, tid);
        log.add(tid, oids);
        cache.setLastTid(tid);
        lastTid = tid; // after the drops: a view opened at this tid finds no stale record
        for (CommitListener l : listeners) l.committed(tid, oids);
    }

    private void raiseWatch(long oid, long tid) {
        for (OidWatch w = watches.get(oid); w != null; w = w.next) {
            if (Long.compareUnsigned(tid, w.invalidatedTid) > 0) w.invalidatedTid = tid;
        }
    }

    void applyLoadAnswer(OidWatch w, Frame f) {
        unwatch(w);
        if (f.op() != Op.RESULT) return;
        Loaded l = Messages.readLoaded(f.reader());
        w.loaded = l;
        // a view's answer is current at the server only if no commit after the view's tid
        // has reached this client yet; later ones will drop it in order
        boolean current = w.viewTid != 0 ? Long.compareUnsigned(lastTid, w.viewTid) <= 0 : l.nextTid() == 0;
        if (current && Long.compareUnsigned(l.tid(), w.invalidatedTid) >= 0) {
            cache.put(
                    new CachedRecord(l.oid(), l.tid(), l.data()),
                    lastTid); // no invalidation of it up to lastTid: current then
        }
    }

    /** Watches what a transaction wrote while its FINISH is in flight (see {@link CommitWatch}); null without a cache. */
    CommitWatch watchCommit(Map<Long, byte[]> written) {
        if (!cache.enabled() || written == null) return null;
        int n = 0;
        for (byte[] d : written.values()) if (d != null) n++;
        OidWatch[] ws = new OidWatch[n];
        byte[][] data = new byte[n][];
        int i = 0;
        for (Map.Entry<Long, byte[]> e : written.entrySet()) {
            if (e.getValue() == null) continue; // a delete: nothing to cache
            ws[i] = watch(e.getKey());
            data[i++] = e.getValue();
        }
        return new CommitWatch(ws, data);
    }

    /** The reading thread, at the FINISH answer: caches each record written unless a newer invalidation of it came first. */
    void applyFinishAnswer(CommitWatch c, Frame f) {
        long tid = f.op() == Op.RESULT ? f.reader().i64() : 0;
        for (int i = 0; i < c.watches.length; i++) {
            OidWatch w = c.watches[i];
            unwatch(w);
            long known = lastTid; // our own invalidation came before this answer: known >= tid
            if (tid != 0 && Long.compareUnsigned(tid, w.invalidatedTid) >= 0) {
                cache.put(new CachedRecord(w.oid, tid, c.data[i]), Long.compareUnsigned(known, tid) > 0 ? known : tid);
            }
        }
        c.applied = true;
    }

    /** After FINISH, whatever became of it: watches the answer did not clear go. */
    void unwatchCommit(CommitWatch c) {
        if (c == null || c.applied) return;
        for (OidWatch w : c.watches) unwatch(w);
    }

    private OidWatch watch(long oid) {
        OidWatch w = new OidWatch(oid);
        watches.compute(oid, (k, head) -> {
            w.next = head;
            return w;
        });
        return w;
    }

    private void unwatch(OidWatch w) {
        watches.computeIfPresent(w.oid, (k, head) -> {
            if (head == w) return w.next;
            for (OidWatch p = head; p.next != null; p = p.next) {
                if (p.next == w) {
                    p.next = w.next;
                    break;
                }
            }
            return head;
        });
    }

    // ---- loads

    Loaded remoteLoad(Op op, long oid, long tid) {
        checkOpen();
        Message m = switch (op) {
            case LOAD -> new Message.Load(oid);
            case LOAD_BEFORE -> new Message.LoadBefore(oid, tid);
            case LOAD_SERIAL -> new Message.LoadSerial(oid, tid);
            default -> throw new IllegalArgumentException(op + " is not a load");
        };
        OidWatch watch = cache.enabled() && op != Op.LOAD_SERIAL ? watch(oid) : null;
        try {
            Frame f = conn.call(op, m.payload(), 0, watch);
            Loaded l = watch != null ? watch.loaded : null;
            return l != null ? l : Messages.readLoaded(f.reader());
        } finally {
            if (watch != null) unwatch(watch);
        }
    }

    @Override
    public Loaded load(long oid) {
        checkOpen();
        CachedRecord c = cache.get(oid, lastTid);
        if (c != null) return new Loaded(oid, c.tid(), c.data(), 0);
        return remoteLoad(Op.LOAD, oid, 0);
    }

    @Override
    public Loaded loadBefore(long oid, long beforeTid) {
        checkOpen();
        CachedRecord c = cache.get(oid, lastTid);
        // a cached revision is current as of lastTid: it answers for any time up to then
        if (c != null
                && Long.compareUnsigned(c.tid(), beforeTid) < 0
                && Long.compareUnsigned(beforeTid - 1, lastTid) <= 0) {
            return new Loaded(oid, c.tid(), c.data(), 0);
        }
        return remoteLoad(Op.LOAD_BEFORE, oid, beforeTid);
    }

    /**
     * A view's load. A cached revision r answers for the view's tid T when T lies in the
     * snapshots r is known to be current in: for a revision still current, only if this
     * client has applied every invalidation up to T (the server may have opened the view at a
     * commit whose invalidation is still on its way); a revision a later commit replaced
     * still answers views older than that commit. Otherwise the server's view answers.
     */
    Loaded viewLoad(RemoteView view, long oid) {
        checkOpen();
        long t = view.tid();
        CachedRecord c = cache.get(oid, t); // the memory level checks that it has applied every invalidation up to t
        if (c != null) return new Loaded(oid, c.tid(), c.data(), 0);
        OidWatch watch = cache.enabled() ? watch(oid) : null;
        if (watch != null) watch.viewTid = t;
        try {
            Frame f = conn.call(Op.VIEW_LOAD, new Message.ViewLoad(view.id(), oid).payload(), view.generation(), watch);
            Loaded l = watch != null ? watch.loaded : null;
            return l != null ? l : Messages.readLoaded(f.reader());
        } finally {
            if (watch != null) unwatch(watch);
        }
    }

    /**
     * A view's loads of many oids in one pipelined round trip (see {@link RemoteView#prefetch}):
     * each oid the record cache answers for the view is taken from it, the others are sent as
     * VIEW_LOAD requests back to back, with the same watches as {@link #viewLoad} (so answers
     * are cached under the same rules). Returns one entry per oid, in order; null where the
     * server refused the load (an oid without data at the view's tid: its load will say so).
     */
    Loaded[] viewLoadMany(RemoteView view, long[] oids) {
        checkOpen();
        long t = view.tid();
        Loaded[] out = new Loaded[oids.length];
        int[] sent = new int[oids.length];
        int n = 0;
        for (int i = 0; i < oids.length; i++) {
            CachedRecord c = cache.get(oids[i], t); // as in viewLoad: the revision current at the view's tid, or none
            if (c != null) out[i] = new Loaded(oids[i], c.tid(), c.data(), 0);
            else sent[n++] = i;
        }
        if (n == 0) return out;
        PayloadWriter[] requests = new PayloadWriter[n];
        OidWatch[] ws = cache.enabled() ? new OidWatch[n] : null;
        for (int j = 0; j < n; j++) {
            long oid = oids[sent[j]];
            requests[j] = new Message.ViewLoad(view.id(), oid).payload();
            if (ws != null) {
                ws[j] = watch(oid);
                ws[j].viewTid = t;
            }
        }
        try {
            Frame[] answers = conn.callMany(Op.VIEW_LOAD, requests, view.generation(), ws);
            for (int j = 0; j < n; j++) {
                Frame f = answers[j];
                if (f.op() != Op.RESULT) continue; // refused (e.g. POSKEY): the load itself reports it
                Loaded l = ws != null ? ws[j].loaded : null;
                out[sent[j]] = l != null ? l : Messages.readLoaded(f.reader());
            }
        } finally {
            if (ws != null) for (OidWatch w : ws) unwatch(w);
        }
        return out;
    }

    @Override
    public Loaded loadSerial(long oid, long tid) {
        return remoteLoad(Op.LOAD_SERIAL, oid, tid);
    }

    // ---- the rest of the SPI

    /** Finish goes over the network: a commit across mounts finishes this before local storages. */
    @Override
    public boolean remote() {
        return true;
    }

    @Override
    public String name() {
        return options.describe();
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.copyOf(withNone(capabilities));
    }

    private static Set<Capability> withNone(Set<Capability> s) {
        return s.isEmpty() ? EnumSet.noneOf(Capability.class) : s;
    }

    /**
     * The server's last tid, asked with one round trip: on return every invalidation up to it
     * is applied here, so a commit another client finished before this call is visible after it.
     */
    @Override
    public long lastTid() {
        checkOpen();
        conn.call(Op.LAST_TID, new Message.LastTid().payload(), 0, null);
        return lastTid;
    }

    /** The last tid whose invalidation this client has applied, without asking the server. */
    public long lastTidSeen() {
        return lastTid;
    }

    @Override
    public long knownLastTid() {
        return lastTid;
    }

    // ---- the shared fragment tier (the server's SharedFragments)

    @Override
    public Hit fragmentGet(String cache, String key) {
        checkOpen();
        PayloadReader r = conn.call(Op.CACHE_GET, new Message.CacheGet(cache, key).payload(), 0, null)
                .reader();
        if (!r.bool()) return null;
        long valid = r.i64();
        int kind = r.u8();
        byte[] value = r.bytes();
        return new Hit(kind, value, r.longs(), valid);
    }

    @Override
    public boolean fragmentSet(
            String cache,
            String key,
            int kind,
            byte[] value,
            long[] deps,
            long snapshotTid,
            long ttlMillis,
            List<String> tags) {
        checkOpen();
        if (readOnly) return false; // a read-only client may read the shared tier, not fill it
        Message.CacheSet m = new Message.CacheSet(cache, key, kind, value, snapshotTid, deps, ttlMillis, tags);
        return conn.call(Op.CACHE_SET, m.payload(), 0, null).reader().bool();
    }

    @Override
    public void fragmentInvalidate(String cache, Scope scope, String name) {
        checkOpen();
        requireWritable("invalidating shared fragments");
        conn.call(Op.CACHE_INVALIDATE, new Message.CacheInvalidate(cache, scope.ordinal(), name).payload(), 0, null);
    }

    @Override
    public long[] newOids(int count) {
        checkOpen();
        requireWritable("newOids");
        if (count == 0) return new long[0]; // the storage contract's "0 asks for nothing"; NEW_OIDS carries 1.. only
        return conn.call(Op.NEW_OIDS, new Message.NewOids(count).payload(), 0, null)
                .reader()
                .longs();
    }

    @Override
    public StorageTransaction begin(TransactionMetadata metadata) {
        checkOpen();
        requireWritable("begin");
        return new RemoteTransaction(
                this, conn, txnIds.incrementAndGet(), metadata == null ? TransactionMetadata.EMPTY : metadata);
    }

    @Override
    public StorageView openView() {
        checkOpen();
        return new RemoteView(this, conn, viewIds.incrementAndGet());
    }

    org.cairndb.storage.Invalidations invalidationsBetween(long from, long to) {
        return log.between(from, to);
    }

    @Override
    public CloseableIterator<TransactionRecord> iterator(long fromTid, long toTid) {
        checkOpen();
        return new RemoteIterator(this, conn, fromTid, toTid);
    }

    @Override
    public List<HistoryEntry> history(long oid, int max) {
        checkOpen();
        PayloadReader r = conn.call(Op.HISTORY, new Message.History(oid, max).payload(), 0, null)
                .reader();
        int n = r.count("history entry", 20);
        List<HistoryEntry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(Messages.readHistory(r));
        return out;
    }

    @Override
    public PackResult pack(long beforeTid, PackProgress progress) {
        checkOpen();
        requireWritable("pack");
        // the cache may hold records pack removed (those this client committed or loaded): it is
        // emptied by the reading thread as it reads the answer, in order with loads around it
        AnswerWatch dropCache = (owner, answer) -> {
            if (answer.op() == Op.RESULT) cache.clear(lastTid);
        };
        PayloadReader r = conn.call(Op.PACK, new Message.Pack(beforeTid).payload(), 0, dropCache)
                .reader();
        return new PackResult(r.i64(), r.i64(), r.i64());
    }

    @Override
    public void restore(TransactionRecord txn) {
        checkOpen();
        requireWritable("restore");
        conn.call(Op.RESTORE, new Message.Restore(txn).payload(), 0, null);
    }

    /**
     * Restores whole transactions in RESTORE_BATCH requests (the server applies each with its
     * storage's bulk path), each request holding as many as fit in half the largest frame, at
     * least one. The tid order is checked before anything is sent, and each request is all or
     * nothing on the server, so a misordered batch restores nothing and after any other
     * failure the storage holds the transactions of the requests before it: whole
     * transactions in tid order (a batch larger than one request is all or nothing only per
     * request).
     */
    @Override
    public void restoreBatch(List<TransactionRecord> batch) {
        checkOpen();
        requireWritable("restore");
        for (int i = 1; i < batch.size(); i++) { // checked before the first request, which may not hold the whole batch
            if (Long.compareUnsigned(batch.get(i).tid(), batch.get(i - 1).tid()) <= 0) {
                throw new StorageMisuseException(
                        "storage '" + name() + "': restore batch refused, nothing restored: transaction "
                                + Tid.describe(batch.get(i).tid()) + " is not after "
                                + Tid.describe(batch.get(i - 1).tid()) + " (restore needs increasing tids)");
            }
        }
        long limit = options.maxFrame / 2;
        int from = 0;
        while (from < batch.size()) {
            int to = from;
            long size = 4;
            do {
                size += encodedSize(batch.get(to++));
            } while (to < batch.size() && size + encodedSize(batch.get(to)) <= limit);
            List<TransactionRecord> part = batch.subList(from, to);
            PayloadWriter w = new PayloadWriter((int) Math.min(size, Integer.MAX_VALUE - 64));
            new Message.RestoreBatch(part).write(w);
            conn.call(Op.RESTORE_BATCH, w, 0, null);
            from = to;
        }
    }

    /** The bytes of {@code t} as a protocol {@code Txn} (metadata strings counted at up to 3 bytes a char). */
    private static long encodedSize(TransactionRecord t) {
        long n = 8
                + 1
                + 4
                + 4
                + 4
                + 3L
                        * (t.metadata().user().length()
                                + t.metadata().description().length())
                + t.metadata().extension().length
                + 4;
        for (Revision r : t.revisions()) n += 8 + 8 + 8 + 4 + (r.data() == null ? 0 : r.data().length);
        return n;
    }

    @Override
    public AutoCloseable addCommitListener(CommitListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public long objectCount() {
        checkOpen();
        return conn.call(Op.OBJECT_COUNT, new Message.ObjectCount().payload(), 0, null)
                .reader()
                .i64();
    }

    @Override
    public long sizeInBytes() {
        checkOpen();
        return conn.call(Op.SIZE_IN_BYTES, new Message.SizeInBytes().payload(), 0, null)
                .reader()
                .i64();
    }

    /**
     * Round trips to the server since open: requests whose answer a caller waited for, a
     * pipelined batch (a prefetch) counting once (for tests and benchmarks).
     */
    public long roundTrips() {
        return conn.roundTrips();
    }

    /** Records in the in-memory cache, including revisions later commits replaced (kept for views older than those): for tests and benchmarks. */
    public int cachedRecords() {
        return cache.size();
    }

    /** Loads answered by the cache and loads sent to the server since open. */
    public long cacheHits() {
        return cache.hits();
    }

    public long cacheMisses() {
        return cache.misses();
    }

    void requireWritable(String what) {
        if (readOnly) {
            throw new ReadOnlyException(
                    name() + ": " + what + " refused: opened read-only (readonly=true or read-only credentials);"
                            + " open it with read-write credentials to write");
        }
    }

    void checkOpen() {
        if (closed) throw new StorageClosedException("remote storage " + name());
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        conn.close();
        cache.close();
    }

    @Override
    public String toString() {
        return "RemoteStorage[" + name() + (serverName.isEmpty() ? "" : " serving " + serverName) + "]";
    }
}
