package org.cairndb.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.cairndb.client.serial.ValueCodec;
import org.cairndb.storage.FragmentTier;

/**
 * A cache of values computed from the database (rendered page fragments, mostly) that forgets
 * a value as soon as an object it was computed from changes: {@code db.fragmentCache("pages")}.
 *
 * <pre>{@code
 * FragmentCache pages = db.fragmentCache("pages");
 * String html = pages.get(FragmentKey.of("book", isbn), () -> render(lib.book(isbn)));
 * }</pre>
 *
 * <p>Over 400 lines, one job: get a value, compute it once, store it only when still valid.
 * The single computation per key, the near and shared tiers and the refusal of a stale value
 * decide together whether a computed value may be kept, so they stay side by side; forgetting
 * on commit is {@link FragmentInvalidator}'s, the wire side {@link FragmentSharing}'s, and the
 * rest is small nested types ({@link Spec}, {@link Options}, {@link Stats}).
 *
 * <h2>What it remembers a value by</h2>
 * While the supplier runs, every persistent object its thread reads (through any connection
 * of this database) is recorded: the value is stored with that dependency set and the
 * snapshot it was read at. Any later commit, from this process or another, that changes a
 * dependency removes the value before that commit returns to its committer, and no reader
 * that can see the commit is served the old value (see {@link FragmentInvalidator} for why).
 * A supplier that ran on a snapshot older than a concurrent commit to one of its dependencies
 * returns its value to its caller but does not store it. Values read inside a transaction with
 * uncommitted changes, or from another database, are not stored either.
 *
 * <h2>Two tiers</h2>
 * A hit in this process (the near tier, Caffeine) costs no network. On a miss, when the main
 * storage holds a shared tier ({@code cairn://}: the server's, {@link FragmentTier}), the value
 * is asked there, then computed and offered to it: values travel with their dependency sets,
 * and the server drops them when it publishes a commit to one of their oids (before the commit's
 * INVALIDATE reaches any client), refusing a late value as this process does. A server restart
 * empties the shared tier; values of this process whose dependencies the reconnecting client
 * cannot check any more go too. Values depending on other mounts stay in this process.
 *
 * <h2>More ways to forget</h2>
 * {@link #invalidate(Object)}, tags ({@link Spec#tags}, {@link #invalidateTag}), a time to
 * live (per cache or per value), and bounds: at most {@link Options#maxEntries} values and
 * about {@link Options#maxBytes} bytes, evicted by Caffeine's W-TinyLFU policy.
 *
 * <h2>Values and keys</h2>
 * Strings and byte arrays are kept as they are (a byte array is copied in and out); any other
 * value is kept serialized with Kryo and decoded on each hit (so callers never share a
 * mutable value), which refuses persistent objects: cache what was computed from them. Keys are
 * {@code String}s or {@link FragmentKey}s ({@link FragmentKey#forUser} for personalised fragments).
 *
 * <h2>One computation per key</h2>
 * Concurrent misses of one key in this process run the supplier once; the others wait for it
 * (the wait ends when the value is there) and get its value when it is still valid for them.
 *
 * Thread-safe. Obtain caches from {@link Database#fragmentCache}: one per name and database.
 */
public final class FragmentCache {
    private final String name;
    private final Database db;
    private final FragmentInvalidator invalidator;
    private final Options options;
    private final Cache<String, FragmentEntry> near;
    private final ConcurrentHashMap<String, Flight> flights = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<FragmentEntry>> tagged = new ConcurrentHashMap<>();
    private final ValueCodec codec;
    /** The shared tier (the main storage's, when it holds one: a Cairn server), or null. */
    private final FragmentSharing shared;
    /** Bumped by every explicit invalidation: a computation that began before one does not store its value. */
    private final AtomicLong generation = new AtomicLong();

    private final LongAdder hits = new LongAdder(),
            misses = new LongAdder(),
            loads = new LongAdder(),
            stored = new LongAdder(),
            refused = new LongAdder(),
            invalidated = new LongAdder(),
            evicted = new LongAdder();

    private static final class Flight {
        final Thread owner = Thread.currentThread();
        final CompletableFuture<FragmentEntry> done = new CompletableFuture<>();
    }

    FragmentCache(String name, Database db, FragmentInvalidator invalidator, Options options) {
        this.name = name;
        this.db = db;
        this.invalidator = invalidator;
        this.options = options;
        this.codec = new ValueCodec(db.classLoader());
        this.shared = options.shared && db.storage() instanceof FragmentTier t
                ? new FragmentSharing(t, db.mounts().keySet().iterator().next(), name)
                : null;
        // every value weighs at least its share of the byte bound: then the weight bound also bounds the count
        long floor = Math.max(1, (options.maxBytes + options.maxEntries - 1) / options.maxEntries);
        this.near = Caffeine.newBuilder()
                .maximumWeight(options.maxBytes)
                .weigher((String k, FragmentEntry e) -> (int) Math.min(Integer.MAX_VALUE, Math.max(floor, e.bytes)))
                .expireAfter(new Expiry<String, FragmentEntry>() {
                    @Override
                    public long expireAfterCreate(String k, FragmentEntry e, long now) {
                        return e.ttlNanos;
                    }

                    @Override
                    public long expireAfterUpdate(String k, FragmentEntry e, long now, long current) {
                        return e.ttlNanos;
                    }

                    @Override
                    public long expireAfterRead(String k, FragmentEntry e, long now, long current) {
                        return current;
                    }
                })
                .executor(Runnable::run) // eviction bookkeeping on the caller's thread: no pool threads per cache
                .removalListener((String k, FragmentEntry e, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
                    if (e == null) return;
                    if (cause.wasEvicted()) evicted.increment();
                    forget(e);
                })
                .build();
    }

    public String name() {
        return name;
    }

    /** The value cached under {@code key}, or the supplier's value (then cached). */
    public <T> T get(Object key, Supplier<? extends T> supplier) {
        return get(key, Spec.DEFAULT, supplier);
    }

    /** As {@link #get(Object, Supplier)}, storing a computed value with the spec's tags and time to live. */
    @SuppressWarnings("unchecked")
    public <T> T get(Object key, Spec spec, Supplier<? extends T> supplier) {
        String k = FragmentKey.encode(key);
        ReadCapture outer = ReadCapture.current();
        while (true) {
            FragmentEntry e = near.getIfPresent(k);
            if (e != null && usable(e)) {
                hits.increment();
                if (outer != null && outer.db == db) dependOn(outer, e);
                return (T) valueOf(e);
            }
            Flight mine = new Flight();
            Flight running = flights.putIfAbsent(k, mine);
            if (running == null) {
                misses.increment();
                try {
                    return compute(k, spec, supplier, mine);
                } finally {
                    flights.remove(k, mine);
                }
            }
            if (running.owner == Thread.currentThread()) {
                throw new IllegalStateException(
                        "fragment '" + key + "' of cache '" + name + "' is asked for inside its own"
                                + " supplier: a fragment cannot contain itself; use a different key for the inner fragment");
            }
            FragmentEntry led = await(running, key);
            if (led != null && usable(led)) {
                hits.increment();
                if (outer != null && outer.db == db) dependOn(outer, led);
                return (T) valueOf(led);
            }
            // the value computed for another caller is not valid for this one (or failed): compute again
        }
    }

    private FragmentEntry await(Flight f, Object key) {
        try {
            return f.done.get(); // ends when the computing caller finishes
        } catch (ExecutionException failed) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ObjectLayerException(
                    "interrupted while waiting for fragment '" + key + "' of cache '" + name
                            + "' computed by another thread",
                    e);
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T compute(String k, Spec spec, Supplier<? extends T> supplier, Flight flight) {
        long gen = generation.get();
        if (shared != null) {
            FragmentEntry e = fromShared(k, spec, gen);
            if (e != null) {
                flight.done.complete(e);
                ReadCapture outer = ReadCapture.current();
                if (outer != null && outer.db == db) dependOn(outer, e);
                return (T) valueOf(e);
            }
        }
        ReadCapture capture = ReadCapture.start(db);
        T value;
        try {
            loads.increment();
            value = supplier.get();
        } catch (RuntimeException | Error e) {
            capture.end();
            flight.done.completeExceptionally(e);
            throw e;
        }
        capture.end();
        FragmentEntry e = null;
        try {
            e = entry(k, value, capture, spec);
            if (capture.untrackable != null || e.bytes > options.maxBytes) {
                e.invalid = true;
                refused.increment();
            } else if (!invalidator.admit(e) || generation.get() != gen) {
                e.invalid = true;
                invalidator.unindex(e);
                refused.increment();
            } else {
                publish(k, e);
                stored.increment();
                if (shared != null && !e.invalid && shared.shareable(e)) {
                    Long snapshot = capture.snapshots.get(shared.mount);
                    shared.offer(e, snapshot != null ? snapshot : db.storage().knownLastTid());
                }
            }
        } finally {
            flight.done.complete(e);
        }
        return value;
    }

    /** Puts an admitted entry in the near tier. */
    private void publish(String k, FragmentEntry e) {
        for (String tag : e.tags)
            tagged.computeIfAbsent(tag, t -> ConcurrentHashMap.newKeySet()).add(e);
        near.put(k, e);
        // a commit or invalidation that found the entry indexed but not yet in the map marked it invalid
        if (e.invalid) near.asMap().remove(k, e);
    }

    /** The shared tier's value of {@code k}, admitted to the near tier, if it is valid for this reader; null otherwise. */
    private FragmentEntry fromShared(String k, Spec spec, long gen) {
        FragmentEntry e = shared.get(this, k, spec.tags, ttlNanos(spec));
        if (e == null) return null;
        if (!invalidator.admit(e) || generation.get() != gen) {
            e.invalid = true;
            invalidator.unindex(e);
            return null;
        }
        publish(k, e);
        if (!usable(e)) return null;
        shared.hits.increment();
        return e;
    }

    private long ttlNanos(Spec spec) {
        return spec.ttl != null ? spec.ttl.toNanos() : options.ttl != null ? options.ttl.toNanos() : Long.MAX_VALUE;
    }

    private boolean usable(FragmentEntry e) {
        return !e.invalid && invalidator.current(e, db.transactionManager().threadConnections());
    }

    Database database() {
        return db;
    }

    private static void dependOn(ReadCapture outer, FragmentEntry e) {
        for (Map.Entry<String, long[]> d : e.deps.entrySet()) {
            long snapshot = e.snapshots.get(d.getKey());
            for (long oid : d.getValue()) outer.add(d.getKey(), oid, snapshot);
        }
    }

    private FragmentEntry entry(String k, Object value, ReadCapture c, Spec spec) {
        Map<String, long[]> deps = new HashMap<>();
        for (Map.Entry<String, ReadCapture.OidSet> d : c.oids.entrySet()) {
            long[] oids = d.getValue().toArray();
            Arrays.sort(oids);
            deps.put(d.getKey(), oids);
        }
        long ttl = ttlNanos(spec);
        byte kind;
        Object stored;
        int bytes;
        if (value == null) {
            kind = FragmentEntry.NULL;
            stored = null;
            bytes = 0;
        } else if (value instanceof String s) {
            kind = FragmentEntry.STRING;
            stored = s;
            bytes = 2 * s.length();
        } else if (value instanceof byte[] b) {
            kind = FragmentEntry.BYTES;
            stored = b.clone();
            bytes = b.length;
        } else {
            kind = FragmentEntry.OBJECT;
            byte[] b = codec.encode(value);
            stored = b;
            bytes = b.length;
        }
        int overhead = 64
                + 2 * k.length()
                + 16 * deps.values().stream().mapToInt(a -> a.length).sum();
        return new FragmentEntry(
                this, k, kind, stored, bytes + overhead, deps, new HashMap<>(c.snapshots), spec.tags, ttl);
    }

    private Object valueOf(FragmentEntry e) {
        return switch (e.kind) {
            case FragmentEntry.STRING -> e.value;
            case FragmentEntry.BYTES -> ((byte[]) e.value).clone();
            case FragmentEntry.OBJECT -> codec.decode((byte[]) e.value);
            default -> null;
        };
    }

    /** Forgets the value under {@code key} (and any computation of it under way does not store its value). */
    public void invalidate(Object key) {
        generation.incrementAndGet();
        String k = FragmentKey.encode(key);
        if (shared != null) shared.invalidate(FragmentTier.Scope.KEY, k);
        FragmentEntry e = near.asMap().remove(k);
        if (e != null) {
            e.invalid = true;
            invalidated.increment();
        }
    }

    /** Forgets every value stored with {@code tag}. */
    public void invalidateTag(String tag) {
        generation.incrementAndGet();
        if (shared != null) shared.invalidate(FragmentTier.Scope.TAG, tag);
        Set<FragmentEntry> s = tagged.remove(tag);
        if (s == null) return;
        for (FragmentEntry e : s) {
            e.invalid = true;
            if (near.asMap().remove(e.key, e)) invalidated.increment();
        }
    }

    /** Forgets every value of this cache. */
    public void invalidateAll() {
        generation.incrementAndGet();
        if (shared != null) shared.invalidate(FragmentTier.Scope.ALL, "");
        for (FragmentEntry e : near.asMap().values()) e.invalid = true;
        long n = near.estimatedSize();
        near.invalidateAll();
        invalidated.add(n);
    }

    /** Called by the invalidator: a commit changed a dependency of {@code e} (already marked invalid). */
    void dropped(FragmentEntry e) {
        if (near.asMap().remove(e.key, e)) invalidated.increment();
    }

    /** Cleanup when an entry leaves the near cache for any reason. */
    private void forget(FragmentEntry e) {
        invalidator.unindex(e);
        for (String tag : e.tags) {
            Set<FragmentEntry> s = tagged.get(tag);
            if (s != null) {
                s.remove(e);
                if (s.isEmpty()) tagged.remove(tag, s);
            }
        }
    }

    /** Counts since the cache was made, and its current size. */
    public Stats stats() {
        near.cleanUp();
        long weight =
                near.policy().eviction().map(ev -> ev.weightedSize().orElse(0)).orElse(0L);
        return new Stats(
                hits.sum(),
                shared == null ? 0 : shared.hits.sum(),
                misses.sum(),
                loads.sum(),
                stored.sum(),
                refused.sum(),
                invalidated.sum(),
                evicted.sum(),
                shared == null ? 0 : shared.errors.sum(),
                near.estimatedSize(),
                weight);
    }

    /**
     * @param hits        gets answered from the near tier (this process)
     * @param sharedHits  gets answered from the shared tier (the server), counted in misses too
     * @param misses      gets the near tier could not answer (single flight: concurrent misses of one key count once)
     * @param loads       supplier runs
     * @param stored      values stored
     * @param refused     values computed but not stored (stale on arrival, uncommitted reads, too big)
     * @param invalidated values forgotten because a dependency changed or on request
     * @param evicted     values evicted by the bounds or expired
     * @param sharedErrors shared tier requests that failed (the value was computed, or kept in this process only)
     * @param entries     values held now
     * @param weight      the bound's accounting of the values held (bytes, each at least its share of the bound)
     */
    public record Stats(
            long hits,
            long sharedHits,
            long misses,
            long loads,
            long stored,
            long refused,
            long invalidated,
            long evicted,
            long sharedErrors,
            long entries,
            long weight) {
        /** Share of gets answered without running the supplier (near or shared tier). */
        public double hitRate() {
            long all = hits + misses;
            return all == 0 ? 0 : (double) (hits + sharedHits) / all;
        }
    }

    /** Per-value options of {@link #get(Object, Spec, Supplier)}: {@code FragmentCache.spec().tags("books").ttl(...)}. */
    public static Spec spec() {
        return Spec.DEFAULT;
    }

    public static final class Spec {
        static final Spec DEFAULT = new Spec(new String[0], null);
        final String[] tags;
        final Duration ttl;

        private Spec(String[] tags, Duration ttl) {
            this.tags = tags;
            this.ttl = ttl;
        }

        /** Tags to forget the value by with {@link FragmentCache#invalidateTag}. */
        public Spec tags(String... tags) {
            return new Spec(tags.clone(), ttl);
        }

        /** Forgets the value after {@code ttl} at the latest (overrides the cache's). */
        public Spec ttl(Duration ttl) {
            if (ttl.isNegative() || ttl.isZero())
                throw new IllegalArgumentException("a time to live must be positive: " + ttl);
            return new Spec(tags, ttl);
        }
    }

    /** Bounds and default time to live of a cache: {@code FragmentCache.options().maxEntries(10_000).maxBytes(64 << 20)}. */
    public static Options options() {
        return Options.DEFAULT;
    }

    public static final class Options {
        static final Options DEFAULT = new Options(100_000, 64L << 20, null, true);
        final long maxEntries;
        final long maxBytes;
        final Duration ttl;
        final boolean shared;

        private Options(long maxEntries, long maxBytes, Duration ttl, boolean shared) {
            this.maxEntries = maxEntries;
            this.maxBytes = maxBytes;
            this.ttl = ttl;
            this.shared = shared;
        }

        /** At most this many values in this process (default 100,000). */
        public Options maxEntries(long n) {
            if (n < 1) throw new IllegalArgumentException("maxEntries must be at least 1: " + n);
            return new Options(n, maxBytes, ttl, shared);
        }

        /** About this many bytes of values in this process (default 64 MiB). */
        public Options maxBytes(long n) {
            if (n < 1) throw new IllegalArgumentException("maxBytes must be at least 1: " + n);
            return new Options(maxEntries, n, ttl, shared);
        }

        /** Every value is forgotten after {@code ttl} at the latest; none by default. */
        public Options ttl(Duration ttl) {
            if (ttl.isNegative() || ttl.isZero())
                throw new IllegalArgumentException("a time to live must be positive: " + ttl);
            return new Options(maxEntries, maxBytes, ttl, shared);
        }

        /** Use the shared tier when the main storage offers one (a Cairn server: default true); false keeps values in this process. */
        public Options shared(boolean use) {
            return new Options(maxEntries, maxBytes, ttl, use);
        }
    }
}
