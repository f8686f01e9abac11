package org.cairndb.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.cairndb.client.collections.PersistentMap;
import org.cairndb.client.serial.ObjectCodec;
import org.cairndb.storage.Oid;
import org.jspecify.annotations.NullMarked;

/**
 * One unit of work's view of a {@link Database}: a consistent snapshot of each mounted
 * storage, an identity map (one oid, one Java object) and a bounded object cache.
 *
 * <pre>{@code
 * try (Connection conn = db.open()) {
 *     TransactionManager tm = conn.transactionManager();
 *     tm.run(5, () -> {
 *         Library lib = conn.root(Library.class, Library::new); // created on first use
 *         lib.add(new Book("Dune"));
 *     });
 *     Book dune = conn.get(bookOid, Book.class);                // checked, not an unchecked cast
 * }
 * }</pre>
 *
 * <h2>Typed roots</h2>
 * The storage's root object (oid 0) is a {@link PersistentMap} from names to the
 * application's top objects. {@link #root(Class, Supplier)} keeps one top object per class
 * in it, under the class's name: the first transaction that asks creates it and puts it
 * there, later ones find it. Two transactions that create it concurrently both write the same
 * key of the root map, which the map's merge refuses: one commits, the other gets a
 * {@link org.cairndb.storage.ConflictException}, and in {@link TransactionManager#run} its
 * retry finds the winner's object. (A supplier with side effects beyond the new object may
 * therefore run more than once.)
 *
 * A connection and its objects belong to the thread that opened it; using them from
 * another thread, or after {@link #close()}, is refused with {@link ConnectionMisuseException}.
 * Invalidations from other connections and processes are applied at transaction
 * boundaries (begin, commit, abort of the connection's {@link TransactionManager}).
 */
@NullMarked
public final class Connection implements AutoCloseable {
    private final Database db;
    private final TransactionManager tm;
    private final Map<String, Jar> jars = new LinkedHashMap<>();
    private final Jar main;
    private final Thread owner;
    private final int id;
    private boolean closed;
    private boolean inTransaction;

    Connection(Database db, TransactionManager tm, int id, int cacheObjects, long cacheBytes) {
        this.db = db;
        this.tm = tm;
        this.id = id;
        this.owner = Thread.currentThread();
        ObjectCodec codec = new ObjectCodec(db.classLoader(), db.renames());
        for (Map.Entry<String, org.cairndb.storage.Storage> e : db.mounts().entrySet()) {
            jars.put(e.getKey(), new Jar(this, e.getKey(), e.getValue(), codec, cacheObjects, cacheBytes));
        }
        this.main = jars.values().iterator().next();
        tm.register(this);
    }

    public Database database() {
        return db;
    }

    public TransactionManager transactionManager() {
        return tm;
    }

    /** The root object of the main storage: a map from names to the application's top objects. */
    public PersistentMap<String, Object> root() {
        return root(main.mount);
    }

    /** The root object of the storage mounted as {@code mount}. */
    @SuppressWarnings("unchecked")
    public PersistentMap<String, Object> root(String mount) {
        return (PersistentMap<String, Object>) jar(mount).get(Oid.ROOT);
    }

    /**
     * The application's top object of class {@code type} in the main storage's root map (under
     * the key {@code type.getName()}), created with {@code create} and put there on first use
     * within the current transaction; it is stored when the transaction commits. See the class
     * comment for concurrent creation.
     *
     * @throws ClassCastException when the root map holds an object of another class under that key
     */
    public <T> T root(Class<T> type, Supplier<? extends T> create) {
        return root(type.getName(), type, create);
    }

    /** {@link #root(Class, Supplier)} under a name of the application's choice. */
    public <T> T root(String name, Class<T> type, Supplier<? extends T> create) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(create, "create");
        PersistentMap<String, Object> root = root();
        Object found = root.get(name);
        if (found == null) {
            T made = create.get();
            if (made == null)
                throw new NullPointerException(
                        "the supplier of root '" + name + "' returned null; return a new " + type.getName());
            if (!type.isInstance(made)) throw wrongRootClass(name, type, made);
            root.put(name, made);
            return made;
        }
        if (!type.isInstance(found)) throw wrongRootClass(name, type, found);
        return type.cast(found);
    }

    private static ClassCastException wrongRootClass(String name, Class<?> expected, Object actual) {
        return new ClassCastException(
                "root '" + name + "' holds a " + actual.getClass().getName() + ", not a " + expected.getName()
                        + "; ask for " + actual.getClass().getSimpleName() + ".class, or use another root name");
    }

    /** The object with {@code oid} in the main storage (loaded now); unchecked: prefer {@link #get(long, Class)}. */
    public <T extends Persistent> T get(long oid) {
        return get(oid, main.mount);
    }

    /**
     * The object with {@code oid} in the main storage, checked to be a {@code type}.
     *
     * @throws ClassCastException naming the oid, the class asked for and the stored class on a mismatch
     * @throws org.cairndb.storage.PosKeyException when no object has that oid
     */
    public <T> T get(long oid, Class<T> type) {
        return get(oid, type, main.mount);
    }

    /** {@link #get(long, Class)} in the storage mounted as {@code mount}. */
    public <T> T get(long oid, Class<T> type, String mount) {
        Objects.requireNonNull(type, "type");
        checkThread();
        Persistent p = jar(mount).get(oid);
        if (!type.isInstance(p)) {
            throw new ClassCastException("oid " + Oid.describe(oid) + " in storage '" + mount + "' is a "
                    + p.getClass().getName() + ", not the " + type.getName() + " asked for; check the oid or ask for "
                    + p.getClass().getSimpleName() + ".class");
        }
        return type.cast(p);
    }

    @SuppressWarnings("unchecked")
    public <T extends Persistent> T get(long oid, String mount) {
        checkThread();
        return (T) jar(mount).get(oid);
    }

    /**
     * Fetches the records of {@code oids} in the main storage now, many per round trip, so that
     * loading those objects afterwards (by {@link #get(long)} or by touching their ghosts) does
     * not wait for the network: ZODB's {@code Connection.prefetch}. Objects already loaded
     * are skipped; the records are the ones of this transaction's snapshot, held until they are
     * loaded or the transaction ends. A hint only: on a storage without a network
     * ({@code mem:}, {@code temp:}, {@code postgres://}) it does nothing.
     */
    public void prefetch(long... oids) {
        checkOpen();
        main.prefetch(oids);
    }

    /** {@link #prefetch(long...)} of these objects (ghosts of this connection; others are skipped). */
    public void prefetch(Iterable<? extends Persistent> objects) {
        checkOpen();
        Jar.prefetchGhosts(objects, this);
    }

    /** Adds a transient object to the main storage now (it gets its oid); it is written at commit. */
    public <T extends Persistent> T add(T obj) {
        return add(obj, main.mount);
    }

    /** Adds a transient object to the storage mounted as {@code mount}. */
    public <T extends Persistent> T add(T obj, String mount) {
        checkOpen();
        Jar j = jar(mount);
        if (obj.jar() == j) return obj;
        if (obj.jar() != null) j.oidOf(obj); // throws the right misuse error
        j.adopt(obj);
        return obj;
    }

    /**
     * Asks commit to check that {@code obj} is still the revision this transaction read,
     * even though it was not changed (a read conflict otherwise): for decisions taken on
     * state that must not change underneath.
     */
    public void readCurrent(Persistent obj) {
        if (obj.jar() == null || obj.jar().connection() != this) {
            throw new ConnectionMisuseException(
                    "readCurrent(" + obj.describe() + "): the object does not belong to this connection");
        }
        obj.jar().readCurrent(obj);
    }

    /** The tid the main storage's snapshot reads as of. */
    public long snapshotTid() {
        return main.viewTid();
    }

    /** The tid the snapshot of the storage mounted as {@code mount} reads as of. */
    long viewTid(String mount) {
        Jar j = jars.get(mount);
        return j == null ? 0 : j.viewTid();
    }

    /** Names of the mounted storages, main first. */
    public List<String> mounts() {
        return new ArrayList<>(jars.keySet());
    }

    /** Objects in the identity map of the main storage (ghosts included) and how many are loaded. */
    public CacheStats cacheStats() {
        int size = 0, loaded = 0;
        long bytes = 0;
        for (Jar j : jars.values()) {
            size += j.cache.size();
            loaded += j.cache.loadedCount();
            bytes += j.cache.approximateBytes();
        }
        return new CacheStats(size, loaded, bytes);
    }

    public record CacheStats(int objects, int loaded, long approximateBytes) {}

    /** Turns every unchanged object back into a ghost (frees their state). */
    public void cacheMinimize() {
        checkOpen();
        for (Jar j : jars.values()) j.minimize();
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the connection. Uncommitted changes are refused: commit or abort first.
     * Objects of a closed connection cannot be used any more.
     */
    @Override
    public void close() {
        if (closed) return;
        for (Jar j : jars.values()) {
            if (j.hasChanges()) {
                throw new ConnectionMisuseException(
                        this + " has " + j.changedCount() + " uncommitted change(s) in storage '" + j.mount
                                + "'; commit or abort the transaction before closing the connection");
            }
        }
        closed = true;
        for (Jar j : jars.values()) j.close();
        tm.unregister(this);
        db.connectionClosed(this);
    }

    @Override
    public String toString() {
        return "connection #" + id + " of " + db.name();
    }

    // ---- package-private: for Jar and TransactionManager ----

    Jar jar(String mount) {
        checkOpen();
        Jar j = jars.get(mount);
        if (j == null) {
            throw new IllegalArgumentException("no storage mounted as '" + mount + "'; mounted: " + jars.keySet());
        }
        return j;
    }

    void checkOpen() {
        if (closed)
            throw new ConnectionMisuseException(this + " is closed; open a new connection with Database.open()");
        checkThread();
    }

    void checkThread() {
        Thread t = Thread.currentThread();
        if (t != owner) {
            throw new ConnectionMisuseException(
                    this + " belongs to thread '" + owner.getName() + "' but was used from thread '" + t.getName()
                            + "'; a connection and its objects are used by one thread: open one connection per thread");
        }
    }

    /** The connection took part (changed something) in the current transaction. */
    void joined() {
        inTransaction = true;
    }

    boolean hasChanges() {
        for (Jar j : jars.values()) if (j.hasChanges()) return true;
        return false;
    }

    List<Jar> committingJars() {
        List<Jar> out = new ArrayList<>();
        for (Jar j : jars.values()) {
            j.checkUnregistered();
            if (j.hasChanges()) out.add(j);
        }
        return out;
    }

    void afterCompletion(boolean committed) {
        for (Jar j : jars.values()) {
            j.tpcAbort();
            if (!committed) j.abortChanges();
            j.transactionEnded();
        }
        inTransaction = false;
        sync();
    }

    /** Syncs every jar, even when one fails (it is synced again at the next boundary); throws the first failure. */
    void sync() {
        if (closed) return;
        RuntimeException first = null;
        for (Jar j : jars.values()) {
            try {
                j.sync();
            } catch (RuntimeException e) {
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        if (first != null) throw first;
    }

    Map<String, Map<Long, byte[]>> savepoint() {
        Map<String, Map<Long, byte[]>> states = new LinkedHashMap<>();
        for (Jar j : jars.values()) {
            j.checkUnregistered();
            states.put(j.mount, j.savepoint());
        }
        return states;
    }

    void rollback(Map<String, Map<Long, byte[]>> states) {
        for (Jar j : jars.values()) j.rollback(states.getOrDefault(j.mount, Map.of()));
    }
}
