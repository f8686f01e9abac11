package org.cairndb.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.cairndb.storage.BulkRestore;
import org.cairndb.storage.Capability;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.CommitListener;
import org.cairndb.storage.HistoryEntry;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.PackProgress;
import org.cairndb.storage.PackResult;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageClosedException;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;
import org.cairndb.storage.conflict.ResolverRegistry;
import org.cairndb.storage.uri.StorageUri;

/**
 * A durable, multi-writer storage in PostgreSQL, history-free or history-preserving.
 * Open it with {@code Storages.open("postgres://user:pass@host:5432/db?history=free")}.
 *
 * <p>This class only wires the roles together, as RelStorage's adapter does:
 * {@link PgConnections} (pool, connection errors), {@link PgSchema} (install, versions),
 * {@link PgLayout} (the object mover of each history mode), {@link PgLocker} (row locks in
 * oid order), {@link PgHorizon} (tids commit out of order: readers' safe horizon), {@link PgOidAllocator}, {@link PgTransaction} (two-phase commit),
 * {@link PgView} (snapshots), {@link PgPoller} and {@link PgNotifier} (commit listeners over
 * LISTEN/NOTIFY), {@link PgIterator}, {@link PgPacker}, {@link PgBulkLoader} (COPY).
 * The SQL, with the reasons for lock order, is in {@code org/cairndb/postgres/sql/*.sql}.
 *
 * <p>Over 400 lines because this is where the roles meet: the Storage SPI methods, each a few
 * lines handing over to a role; the accessors the roles reach each other through; and what they
 * share (the snapshot record cache, the open views and voting transactions, commit
 * notification). Each role's logic, and the SQL, is elsewhere already.
 */
public final class PostgresStorage implements Storage, BulkRestore {
    private final PgConfig config;
    private final PgConnections cx;
    private final PgLayout layout;
    private final PgLocker locker;
    private final PgOidAllocator oids;
    private final PgPoller poller;
    private final PgHorizon horizon;
    private final PgLog log = new PgLog(this);
    /** History-free only: keeps the transaction log from growing forever. */
    private final PgLogPruner pruner = new PgLogPruner(this);

    private final ResolverRegistry registry;
    private final long tidLockKey;
    private final String channel;
    private final Set<Capability> capabilities;
    /** The process's record cache for this database (null with {@code cache-mb=0}), shared with every storage object on it. */
    private final org.cairndb.storage.spi.SharedRecordCaches.Lease cacheLease;

    private volatile boolean closed;

    private PostgresStorage(PgConfig config, ResolverRegistry registry) {
        this.config = config;
        this.registry = registry;
        this.cx = new PgConnections(config);
        try {
            boolean history = PgSchema.install(cx, config);
            this.layout = history
                    ? new HistoryPreservingLayout(config.schema(), config.name())
                    : new HistoryFreeLayout(config.schema(), config.name());
        } catch (RuntimeException e) {
            cx.close();
            throw e;
        }
        this.locker = new PgLocker(layout);
        this.horizon = new PgHorizon(this);
        this.oids = new PgOidAllocator(cx, layout.sql, horizon::lastTid);
        this.poller = new PgPoller(this);
        this.tidLockKey = PgKeys.tidLock(config.schema());
        this.channel = PgKeys.channel(config.schema());
        EnumSet<Capability> caps = EnumSet.of(
                Capability.MULTI_WRITER, Capability.DURABLE, Capability.PACK, Capability.CONFLICT_RESOLUTION);
        if (layout.keepsHistory()) caps.addAll(EnumSet.of(Capability.HISTORY, Capability.UNDO));
        this.capabilities = Set.copyOf(caps);
        this.cacheLease = config.cacheBytes() > 0
                ? org.cairndb.storage.spi.SharedRecordCaches.acquire(config.cacheIdentity(), config.cacheBytes())
                : null;
    }

    /** Opens the storage a {@code postgres://} URI names, with the conflict resolvers found on the class path. */
    public static PostgresStorage open(String uri) {
        return open(StorageUri.parse(uri), ResolverRegistry.fromClassPath());
    }

    public static PostgresStorage open(StorageUri uri, ResolverRegistry registry) {
        return new PostgresStorage(PgConfig.parse(uri), registry);
    }

    /** True if this storage keeps every revision (history=preserving). */
    public boolean keepsHistory() {
        return layout.keepsHistory();
    }

    // ---- roles, for the package ------------------------------------------------------------

    PgConfig config() {
        return config;
    }

    PgConnections cx() {
        return cx;
    }

    PgLayout layout() {
        return layout;
    }

    PgLocker locker() {
        return locker;
    }

    PgOidAllocator oids() {
        return oids;
    }

    ResolverRegistry registry() {
        return registry;
    }

    long tidLockKey() {
        return tidLockKey;
    }

    String channel() {
        return channel;
    }

    PgLog log() {
        return log;
    }

    /** The shared record cache ({@link PgView} reads and feeds it), or null when {@code cache-mb=0}. */
    org.cairndb.storage.spi.SnapshotRecordCache cache() {
        return cacheLease == null ? null : cacheLease.cache();
    }

    /**
     * After a commit of this process: its records go to the shared cache as the revisions
     * current at {@code tid} (the arrays are the ones written, not copies; nothing on the
     * commit path serializes or copies for the cache).
     */
    void cacheCommitted(long tid, List<PgLayout.Row> rows) {
        var c = cache();
        if (c == null) return;
        for (PgLayout.Row r : rows) {
            if (r.state() != null && r.dataTid() == Tid.ZERO) c.put(r.oid(), tid, r.state(), tid);
        }
    }

    /** After a pack or a restore rewrote rows under the cache: it starts over. */
    void dropCache() {
        var c = cache();
        if (c != null) c.clear();
    }

    PgHorizon horizon() {
        return horizon;
    }

    /**
     * Test seam: called by finish with the transaction's tid after it was chosen (the
     * transaction holds its in-flight marker) and before COMMIT is sent. Null in production.
     */
    volatile java.util.function.LongConsumer afterTidChosen;

    PgLogPruner pruner() {
        return pruner;
    }

    /** Reads the log for commit listeners now, as a NOTIFY would (tests: a deterministic point). */
    void pollerCatchUp() {
        poller.catchUp();
    }

    boolean isClosed() {
        return closed;
    }

    void requireOpen() {
        if (closed) throw new StorageClosedException("storage '" + config.name() + "'");
    }

    void requireWritable() {
        requireOpen();
    }

    void notifyCommit(Connection c, long tid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(layout.sql.get("notify"))) {
            ps.setString(1, channel);
            ps.setString(2, Tid.hex(tid));
            ps.execute();
        }
    }

    void afterCommit(long tid, long[] writtenOids) {
        poller.localCommit(tid, writtenOids);
        if (!layout.keepsHistory()) pruner.committed();
    }

    private final Set<PgView> views = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Set<PgTransaction> voting = java.util.concurrent.ConcurrentHashMap.newKeySet();

    void opened(PgTransaction t) {
        voting.add(t);
    }

    void closed(PgTransaction t) {
        voting.remove(t);
    }

    /**
     * History-free loadBefore when the current revision is too new: an open view of this
     * process may still see an older one in its snapshot; the log says whether that one is
     * the newest before {@code beforeTid} and which transaction replaced it.
     */
    Loaded loadBeforeFromViews(Connection c, long oid, long beforeTid, long currentTid) throws SQLException {
        for (PgView v : views) {
            Loaded r = v.revisionOf(oid);
            if (r == null || r.tid() >= beforeTid) continue;
            long next = log.nextWriter(c, oid, r.tid(), currentTid);
            if (next >= beforeTid) return new Loaded(oid, r.tid(), r.data(), next);
        }
        return null;
    }

    void viewClosed(PgView v) {
        views.remove(v);
    }

    /**
     * The data of {@code oid} as written by {@code tid}: from the database if it still has
     * that revision, else (history-free) from the snapshot of an open view of this process.
     * Null when nobody has it any more: then a resolver gets no ancestor.
     */
    byte[] ancestor(Connection c, long oid, long tid) throws SQLException {
        byte[] d = layout.stateAt(c, oid, tid);
        if (d != null || layout.keepsHistory()) return d;
        for (PgView v : views) {
            d = v.stateIfAt(oid, tid);
            if (d != null) return d;
        }
        return null;
    }

    static long[] toLongs(Array a) throws SQLException {
        Long[] boxed = (Long[]) a.getArray();
        long[] out = new long[boxed.length];
        for (int i = 0; i < out.length; i++) out[i] = boxed[i];
        return out;
    }

    // ---- Storage ------------------------------------------------------------------------------

    @Override
    public String name() {
        return config.name();
    }

    /** Finish goes to PostgreSQL over the network: a commit across mounts finishes this before local storages. */
    @Override
    public boolean remote() {
        return true;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public long lastTid() {
        requireOpen();
        return horizon.lastTid(); // not max(tid): a smaller tid may still be in flight (PgHorizon)
    }

    @Override
    public Loaded load(long oid) {
        requireOpen();
        try (Connection c = cx.get()) {
            return layout.loadCurrent(c, oid);
        } catch (SQLException e) {
            throw PgErrors.translate(name(), "loading oid 0x" + Long.toHexString(oid), e);
        }
    }

    @Override
    public Loaded loadBefore(long oid, long beforeTid) {
        requireOpen();
        try (Connection c = cx.get()) {
            try {
                return layout.loadBefore(c, oid, beforeTid);
            } catch (org.cairndb.storage.ReadConflictException gone) {
                Loaded l = loadBeforeFromViews(c, oid, beforeTid, gone.currentTid());
                if (l == null) throw gone;
                return l;
            }
        } catch (SQLException e) {
            throw PgErrors.translate(
                    name(), "loading oid 0x" + Long.toHexString(oid) + " before " + Tid.hex(beforeTid), e);
        }
    }

    @Override
    public Loaded loadSerial(long oid, long tid) {
        requireOpen();
        try (Connection c = cx.get();
                PreparedStatement ps = c.prepareStatement(layout.sql.get("load_serial"))) {
            ps.setLong(1, oid);
            ps.setLong(2, tid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new PosKeyException(
                            oid,
                            "no revision written by transaction " + Tid.describe(tid) + " in storage '" + name() + "'"
                                    + (layout.keepsHistory()
                                            ? ""
                                            : " (history-free: only the current revision is kept)"));
                }
                byte[] data = rs.getBytes(1);
                if (data == null)
                    throw new PosKeyException(oid, "transaction " + Tid.describe(tid) + " deleted it (no data)");
                return new Loaded(oid, tid, data, Tid.ZERO);
            }
        } catch (SQLException e) {
            throw PgErrors.translate(name(), "loading oid 0x" + Long.toHexString(oid) + " of " + Tid.hex(tid), e);
        }
    }

    @Override
    public long[] newOids(int count) {
        requireOpen();
        return oids.newOids(count);
    }

    @Override
    public StorageTransaction begin(TransactionMetadata metadata) {
        requireWritable();
        return new PgTransaction(this, metadata);
    }

    @Override
    public StorageView openView() {
        requireOpen();
        PgView v = new PgView(this);
        views.add(v);
        return v;
    }

    @Override
    public CloseableIterator<TransactionRecord> iterator(long fromTid, long toTid) {
        requireOpen();
        return new PgIterator(this, fromTid, toTid);
    }

    @Override
    public List<HistoryEntry> history(long oid, int max) {
        requireOpen();
        if (max < 0) {
            throw new org.cairndb.storage.StorageMisuseException("storage '" + name() + "': history(oid 0x"
                    + Long.toHexString(oid) + ", max " + max + "): max must be >= 0");
        }
        List<HistoryEntry> out = new ArrayList<>();
        try (Connection c = cx.get();
                PreparedStatement ps = c.prepareStatement(layout.sql.get("history"))) {
            ps.setLong(1, oid);
            ps.setInt(2, Math.max(0, max));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int size = rs.getInt(2);
                    if (rs.wasNull()) size = -1;
                    byte[] user = rs.getBytes(3);
                    TransactionMetadata md = user == null
                            ? TransactionMetadata.EMPTY
                            : new TransactionMetadata(
                                    new String(user, java.nio.charset.StandardCharsets.UTF_8),
                                    new String(rs.getBytes(4), java.nio.charset.StandardCharsets.UTF_8),
                                    rs.getBytes(5));
                    out.add(new HistoryEntry(oid, rs.getLong(1), size, md));
                }
            }
        } catch (SQLException e) {
            throw PgErrors.translate(name(), "reading the history of oid 0x" + Long.toHexString(oid), e);
        }
        if (out.isEmpty() && max > 0)
            throw new PosKeyException(oid, "never stored in storage '" + name() + "' (or removed by pack)");
        return out;
    }

    @Override
    public PackResult pack(long beforeTid, PackProgress progress) {
        requireWritable();
        try {
            return new PgPacker(this).pack(beforeTid, progress == null ? PackProgress.NONE : progress);
        } finally {
            dropCache();
        }
    }

    @Override
    public void restore(TransactionRecord txn) {
        restoreBatch(List.of(txn));
    }

    @Override
    public void restoreBatch(List<TransactionRecord> batch) {
        try {
            new PgBulkLoader(this).restore(batch);
        } finally {
            dropCache();
        }
    }

    /** Tells {@code listener} of every commit, of this process and of every other one, in tid order. */
    @Override
    public AutoCloseable addCommitListener(CommitListener listener) {
        requireOpen();
        return poller.add(listener);
    }

    @Override
    public long objectCount() {
        requireOpen();
        try (Connection c = cx.get()) {
            return layout.count(c);
        } catch (SQLException e) {
            throw PgErrors.translate(name(), "counting objects", e);
        }
    }

    @Override
    public long sizeInBytes() {
        requireOpen();
        try (Connection c = cx.get();
                PreparedStatement ps = c.prepareStatement(layout.sql.get("size"))) {
            ps.setString(1, config.schema());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw PgErrors.translate(name(), "measuring the schema's size", e);
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (PgTransaction t : voting) t.abandon();
        for (PgView v : views) v.close();
        poller.close();
        pruner.close();
        cx.close();
        if (cacheLease != null) cacheLease.close();
    }

    @Override
    public String toString() {
        return "PostgresStorage[" + name() + (layout.keepsHistory() ? " history-preserving" : " history-free") + "]";
    }
}
