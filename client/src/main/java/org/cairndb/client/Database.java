package org.cairndb.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.cairndb.client.collections.PersistentMap;
import org.cairndb.client.serial.ObjectCodec;
import org.cairndb.client.serial.References;
import org.cairndb.client.serial.Renames;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.Oid;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.uri.Storages;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * A database: one storage, or several mounted by name (e.g. {@code main} and {@code temp})
 * and committed together with two-phase commit. Open connections from it, one per thread.
 *
 * <pre>{@code
 * try (Database db = Database.open("mem:")) {
 *     try (Connection conn = db.open()) { ... }
 * }
 * // or main + temp:
 * Database db = Database.builder().mount("main", "mem:/data/app.cairn").mount("temp", "temp:").open();
 * }</pre>
 * The database creates each storage's root object (a {@link PersistentMap}) when missing.
 * It is thread-safe.
 */
@NullMarked
public final class Database implements AutoCloseable {
    public static final int DEFAULT_CACHE_OBJECTS = 100_000;
    public static final long DEFAULT_CACHE_BYTES = 256L << 20;

    private final Map<String, Storage> mounts;
    private final List<Storage> owned;
    private final TransactionManager tm;
    private final int cacheObjects;
    private final long cacheBytes;
    private final ClassLoader loader;
    private final boolean dirtyCheck;
    private final UnregisteredChanges unregisteredChanges;
    private final Renames renames;
    private final List<Connection> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile boolean closed;
    /** Why the database is unusable (a commit across mounts applied on some only), or null. */
    private volatile @Nullable String hosed;

    private Database(Builder b, Map<String, Storage> mounts, List<Storage> owned) {
        this.mounts = Collections.unmodifiableMap(mounts);
        this.owned = owned;
        this.tm = b.tm != null ? b.tm : new TransactionManager();
        this.cacheObjects = b.cacheObjects;
        this.cacheBytes = b.cacheBytes;
        this.dirtyCheck = b.dirtyCheck;
        this.renames = new Renames(b.renamedClasses, b.renamedFields);
        for (Class<?> c : b.persistentClasses) renames.learn(c);
        this.unregisteredChanges =
                b.unregisteredChanges != null ? b.unregisteredChanges : UnregisteredChanges.fromSystemProperty();
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        this.loader = b.loader != null ? b.loader : cl != null ? cl : Database.class.getClassLoader();
        for (Map.Entry<String, Storage> e : mounts.entrySet()) ensureRoot(e.getKey(), e.getValue());
    }

    /** Opens the storage at {@code uri} (see {@link Storages}) as the database's main storage; closing the database closes it. */
    public static Database open(String uri) {
        return builder().mount("main", uri).open();
    }

    /** A database over an already open storage; closing the database does not close the storage. */
    public static Database open(Storage storage) {
        return builder().mount("main", storage).open();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of a database: its mounted storages (the first is the main one), cache bounds, transaction manager. */
    public static final class Builder {
        private final Map<String, Object> mounts = new LinkedHashMap<>();
        private @Nullable TransactionManager tm;
        private int cacheObjects = DEFAULT_CACHE_OBJECTS;
        private long cacheBytes = DEFAULT_CACHE_BYTES;
        private @Nullable ClassLoader loader;
        private boolean dirtyCheck;
        private @Nullable UnregisteredChanges unregisteredChanges;
        private final Map<String, Class<?>> renamedClasses = new LinkedHashMap<>();
        private final Map<Class<?>, Map<String, String>> renamedFields = new LinkedHashMap<>();
        private final List<Class<?>> persistentClasses = new java.util.ArrayList<>();

        private Builder() {}

        /** Mounts the storage at {@code uri} under {@code name}; the database opens and closes it. */
        public Builder mount(String name, String uri) {
            return put(name, uri);
        }

        /** Mounts an open storage under {@code name}; the database does not close it. */
        public Builder mount(String name, Storage storage) {
            return put(name, storage);
        }

        private Builder put(String name, Object what) {
            if (name == null || name.isBlank()) throw new IllegalArgumentException("a mount needs a name");
            if (mounts.putIfAbsent(name, what) != null) {
                throw new IllegalArgumentException(
                        "storage name '" + name + "' is mounted twice; names: " + mounts.keySet());
            }
            return this;
        }

        /** Per connection: at most {@code objects} loaded objects and about {@code bytes} of their records. */
        public Builder cacheSize(int objects, long bytes) {
            if (objects < 1 || bytes < 1)
                throw new IllegalArgumentException(
                        "cache bounds must be positive: " + objects + " objects, " + bytes + " bytes");
            this.cacheObjects = objects;
            this.cacheBytes = bytes;
            return this;
        }

        /** Shares a transaction manager with other databases (their commits then go together). */
        public Builder transactionManager(TransactionManager tm) {
            this.tm = tm;
            return this;
        }

        /** The class loader application classes are found with (default: the context class loader). */
        public Builder classLoader(ClassLoader loader) {
            this.loader = loader;
            return this;
        }

        /**
         * Stores objects changed in place without {@link Persistent#changed()}: at commit, every
         * object loaded or used in the transaction and not registered as changed is serialized
         * again and compared with its state as loaded; those that differ are stored like
         * registered changes. Costs one extra serialization per load and per used object at
         * commit, and 32 bytes per loaded object (README, "In-place changes"). Off by default.
         */
        public Builder dirtyCheck(boolean on) {
            this.dirtyCheck = on;
            return this;
        }

        /**
         * The debug mode: at commit, names (class, oid, fields) each object whose state changed
         * without being registered, in the log ({@link UnregisteredChanges#LOG}) or also failing
         * the commit ({@link UnregisteredChanges#FAIL}). Default: the system property
         * {@value UnregisteredChanges#PROPERTY}, else off. Keeps each loaded object's serialized state.
         */
        public Builder reportUnregisteredChanges(UnregisteredChanges mode) {
            this.unregisteredChanges = java.util.Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Records stored under the binary class name {@code formerName} (a class since renamed or
         * moved) are read as {@code type}, as with a {@link FormerName} on it; the next store
         * of such an object writes the new name.
         */
        public Builder renamedClass(String formerName, Class<?> type) {
            Class<?> before = renamedClasses.putIfAbsent(formerName, type);
            if (before != null && before != type) {
                throw new IllegalArgumentException("class name " + formerName + " is renamed twice, to "
                        + before.getName() + " and to " + type.getName() + "; keep one");
            }
            return this;
        }

        /** A field of {@code type} (or a superclass of it) stored as {@code formerName} is read into the field {@code name}, as with a {@link FormerName} on it. */
        public Builder renamedField(Class<?> type, String formerName, String name) {
            renamedFields.computeIfAbsent(type, t -> new LinkedHashMap<>()).put(formerName, name);
            return this;
        }

        /**
         * Classes whose {@link FormerName} annotations are read when the database opens, so records
         * under their old names load before the classes are used otherwise (a class the
         * database serializes or loads is learned then anyway).
         */
        public Builder persistentClasses(Class<?>... types) {
            persistentClasses.addAll(List.of(types));
            return this;
        }

        public Database open() {
            if (mounts.isEmpty()) throw new IllegalStateException("no storage mounted: call mount(name, uri) first");
            Map<String, Storage> opened = new LinkedHashMap<>();
            List<Storage> owned = new java.util.ArrayList<>();
            try {
                for (Map.Entry<String, Object> e : mounts.entrySet()) {
                    if (e.getValue() instanceof Storage s) {
                        opened.put(e.getKey(), s);
                    } else {
                        Storage s = Storages.open((String) e.getValue());
                        owned.add(s);
                        opened.put(e.getKey(), s);
                    }
                }
                return new Database(this, opened, owned);
            } catch (RuntimeException e) {
                for (Storage s : owned) {
                    try {
                        s.close();
                    } catch (RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
        }
    }

    private final Map<String, FragmentCache> fragmentCaches = new java.util.concurrent.ConcurrentHashMap<>();
    private @Nullable FragmentInvalidator fragmentInvalidator; // guarded by fragmentCaches

    /** The fragment cache named {@code name} (made with default bounds on first use); see {@link FragmentCache}. */
    public FragmentCache fragmentCache(String name) {
        return fragmentCache(name, FragmentCache.options());
    }

    /** The fragment cache named {@code name}, made with {@code options} on first use (a later call gets it as made). */
    public FragmentCache fragmentCache(String name, FragmentCache.Options options) {
        if (name == null || name.isBlank())
            throw new IllegalArgumentException("a fragment cache needs a name, e.g. \"pages\"");
        FragmentCache c = fragmentCaches.get(name);
        if (c != null) return c;
        synchronized (fragmentCaches) {
            if (closed) throw new ConnectionMisuseException("database " + name() + " is closed");
            FragmentInvalidator invalidator = fragmentInvalidator;
            if (invalidator == null) fragmentInvalidator = invalidator = new FragmentInvalidator(mounts);
            FragmentInvalidator made = invalidator;
            return fragmentCaches.computeIfAbsent(name, n -> new FragmentCache(n, this, made, options));
        }
    }

    /** Opens a connection for the calling thread, bound to this database's transaction manager. */
    public Connection open() {
        if (closed) throw new ConnectionMisuseException("database " + name() + " is closed");
        checkNotHosed();
        Connection c = new Connection(this, tm, ids.incrementAndGet(), cacheObjects, cacheBytes);
        open.add(c);
        return c;
    }

    public TransactionManager transactionManager() {
        return tm;
    }

    /** True after a commit across mounts applied on some of them only: commits and new connections are refused until reopened. */
    public boolean isHosed() {
        return hosed != null;
    }

    void hose(String why) {
        if (hosed == null) hosed = why;
    }

    void checkNotHosed() {
        String why = hosed;
        if (why != null) {
            throw new DatabaseHosedException("database " + name() + " is unusable until it is closed and opened again: "
                    + why + ". Check the data of those mounts, then reopen the database");
        }
    }

    /** The main storage. */
    public Storage storage() {
        return mounts.values().iterator().next();
    }

    public Storage storage(String mount) {
        Storage s = mounts.get(mount);
        if (s == null)
            throw new IllegalArgumentException("no storage mounted as '" + mount + "'; mounted: " + mounts.keySet());
        return s;
    }

    public Map<String, Storage> mounts() {
        return mounts;
    }

    public String name() {
        return storage().name();
    }

    ClassLoader classLoader() {
        return loader;
    }

    boolean dirtyCheck() {
        return dirtyCheck;
    }

    Renames renames() {
        return renames;
    }

    UnregisteredChanges unregisteredChanges() {
        return unregisteredChanges;
    }

    private volatile org.cairndb.storage.conflict.@Nullable ResolverRegistry resolvers;

    /** Resolvers for merging conflicts in the client, on storages that only detect them. */
    org.cairndb.storage.conflict.ResolverRegistry resolvers() {
        org.cairndb.storage.conflict.ResolverRegistry r = resolvers;
        if (r == null) {
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(loader);
            try {
                r = org.cairndb.storage.conflict.ResolverRegistry.fromClassPath(loader);
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
            resolvers = r;
        }
        return r;
    }

    void connectionClosed(Connection c) {
        open.remove(c);
    }

    /** Closes the storages the database opened. Open connections become unusable. */
    @Override
    public void close() {
        synchronized (fragmentCaches) {
            if (closed) return;
            closed = true;
            if (fragmentInvalidator != null) fragmentInvalidator.close();
        }
        for (Storage s : owned) s.close();
    }

    private void ensureRoot(String mount, Storage storage) {
        try {
            storage.load(Oid.ROOT);
            return;
        } catch (PosKeyException missing) {
            // a new storage: create its root below
        }
        ObjectCodec codec = new ObjectCodec(loader);
        byte[] data = codec.encode(new PersistentMap<String, Object>(), new References() {
            @Override
            public long oidOf(org.cairndb.client.Persistent target) {
                throw new IllegalStateException("an empty root refers to nothing");
            }

            @Override
            public org.cairndb.client.Persistent resolve(
                    long oid, Class<? extends org.cairndb.client.Persistent> type) {
                throw new IllegalStateException("an empty root refers to nothing");
            }
        });
        StorageTransaction txn = storage.begin(TransactionMetadata.of("", "create root of '" + mount + "'"));
        try {
            txn.store(Oid.ROOT, Tid.ZERO, data);
            txn.vote();
            txn.finish();
        } catch (ConflictException another) {
            // another process created the root first: use theirs
        } finally {
            txn.abort();
        }
    }
}
