package org.cairndb.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.cairndb.storage.FragmentTier;

/**
 * The shared fragment tier of one served storage (CACHE_GET, CACHE_SET, CACHE_INVALIDATE):
 * values computed by clients, each with the oids it was computed from, in a bounded Caffeine
 * cache (W-TinyLFU, bytes and entries), memory only, no history, no MVCC.
 *
 * <h2>Never stale after a commit returned</h2>
 * {@link ServedStorage#publish} calls {@link #committed} under its lock before it queues the
 * commit's INVALIDATE on any connection (and so before the committer's FINISH answer): a value
 * depending on a committed oid is marked invalid and removed first. A set is admitted under
 * the same lock ({@link ServedStorage#admitFragment}): it is refused when a published commit
 * after the value's snapshot changed a dependency, which the storage's commit history tells;
 * otherwise it is indexed, and any later commit finds it. A get reads the last published tid
 * before the value: a value still valid afterwards was valid at that tid, which the answer
 * names (the client uses it as the value's snapshot).
 *
 * <p>Keys are {@code cache + '\0' + key}; the bounds are shared by all caches of the storage.
 */
final class SharedFragments {
    static final long DEFAULT_MAX_BYTES = 256L << 20;
    static final long DEFAULT_MAX_ENTRIES = 1_000_000;

    static final class Value {
        final String id;
        final int kind;
        final byte[] value;
        final long[] deps;
        final List<String> tags;
        final long ttlNanos;
        volatile boolean invalid;

        Value(String id, int kind, byte[] value, long[] deps, List<String> tags, long ttlNanos) {
            this.id = id;
            this.kind = kind;
            this.value = value;
            this.deps = deps;
            this.tags = tags;
            this.ttlNanos = ttlNanos;
        }

        int weight() {
            return 64 + 2 * id.length() + (value == null ? 0 : value.length) + 8 * deps.length;
        }
    }

    private final Cache<String, Value> values;
    /** oid → values depending on it; guarded by the served storage's lock. */
    private final HashMap<Long, Set<Value>> index = new HashMap<>();

    private final Object lock;
    /** (cache '\0' tag) → values. */
    private final ConcurrentHashMap<String, Set<Value>> tagged = new ConcurrentHashMap<>();

    final LongAdder hits = new LongAdder(),
            misses = new LongAdder(),
            sets = new LongAdder(),
            refused = new LongAdder(),
            dropped = new LongAdder();

    SharedFragments(Object lock, long maxBytes, long maxEntries) {
        this.lock = lock;
        long floor = Math.max(1, (maxBytes + maxEntries - 1) / maxEntries);
        this.values = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String k, Value v) -> (int) Math.min(Integer.MAX_VALUE, Math.max(floor, v.weight())))
                .expireAfter(new Expiry<String, Value>() {
                    @Override
                    public long expireAfterCreate(String k, Value v, long now) {
                        return v.ttlNanos;
                    }

                    @Override
                    public long expireAfterUpdate(String k, Value v, long now, long current) {
                        return v.ttlNanos;
                    }

                    @Override
                    public long expireAfterRead(String k, Value v, long now, long current) {
                        return current;
                    }
                })
                .executor(Runnable::run)
                .removalListener((String k, Value v, com.github.benmanes.caffeine.cache.RemovalCause c) -> {
                    if (v != null) forget(v);
                })
                .build();
    }

    static String id(String cache, String key) {
        return cache + '\0' + key;
    }

    /** The value, if present and valid (the caller read the last published tid before). */
    Value get(String cache, String key) {
        Value v = values.getIfPresent(id(cache, key));
        if (v == null || v.invalid) {
            misses.increment();
            return null;
        }
        hits.increment();
        return v;
    }

    static Value value(
            String cache, String key, int kind, byte[] value, long[] deps, long ttlMillis, List<String> tags) {
        long ttl = ttlMillis <= 0 ? Long.MAX_VALUE : TimeUnit.MILLISECONDS.toNanos(ttlMillis);
        return new Value(id(cache, key), kind, value, deps.clone(), List.copyOf(tags), ttl);
    }

    /** Stores an admitted value. Caller holds the lock. */
    void putLocked(String cache, Value v) {
        for (long oid : v.deps)
            index.computeIfAbsent(oid, o -> Collections.newSetFromMap(new IdentityHashMap<>()))
                    .add(v);
        for (String t : v.tags)
            tagged.computeIfAbsent(id(cache, t), x -> ConcurrentHashMap.newKeySet())
                    .add(v);
        values.put(v.id, v);
        sets.increment();
    }

    /** A commit changed {@code oids}: their dependents go. Caller holds the lock (before the INVALIDATE is queued). */
    void committedLocked(long[] oids) {
        for (long oid : oids) {
            Set<Value> s = index.remove(oid);
            if (s == null) continue;
            for (Value v : s) {
                v.invalid = true;
                values.asMap().remove(v.id, v);
                dropped.increment();
            }
        }
    }

    void invalidate(String cache, FragmentTier.Scope scope, String name) {
        switch (scope) {
            case KEY -> {
                Value v = values.asMap().remove(id(cache, name));
                if (v != null) v.invalid = true;
            }
            case TAG -> {
                Set<Value> s = tagged.remove(id(cache, name));
                if (s != null) {
                    for (Value v : s) {
                        v.invalid = true;
                        values.asMap().remove(v.id, v);
                    }
                }
            }
            case ALL -> {
                String prefix = cache + '\0';
                for (Value v : values.asMap().values()) {
                    if (v.id.startsWith(prefix)) {
                        v.invalid = true;
                        values.asMap().remove(v.id, v);
                    }
                }
            }
        }
    }

    private void forget(Value v) {
        synchronized (lock) {
            for (long oid : v.deps) {
                Set<Value> s = index.get(oid);
                if (s != null && s.remove(v) && s.isEmpty()) index.remove(oid);
            }
        }
        for (String t : v.tags) {
            String tagId = v.id.substring(0, v.id.indexOf('\0') + 1) + t;
            Set<Value> s = tagged.get(tagId);
            if (s != null) {
                s.remove(v);
                if (s.isEmpty()) tagged.remove(tagId, s);
            }
        }
    }

    long size() {
        return values.estimatedSize();
    }
}
