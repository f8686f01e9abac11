package org.cairndb.storage.spi;

import java.util.HashMap;
import java.util.Map;

/**
 * The process's {@link SnapshotRecordCache}s, one per database: every Storage object opened
 * on the same database (same identity, e.g. host, port, database and schema; never a
 * password) shares one, as RelStorage's connections share their local client. Each
 * {@link #acquire} is paired with a {@link Lease#close}; the last close drops the cache. The
 * first opener's size wins while the cache lives (a later, different size is ignored: two
 * budgets for one set of records would not mean anything).
 */
public final class SharedRecordCaches {
    private static final Map<String, Shared> CACHES = new HashMap<>();

    private static final class Shared {
        final SnapshotRecordCache cache;
        int users;

        Shared(SnapshotRecordCache cache) {
            this.cache = cache;
        }
    }

    /** A use of a shared cache; closing it releases that use (once). */
    public static final class Lease implements AutoCloseable {
        private final String identity;
        private final SnapshotRecordCache cache;
        private boolean closed;

        private Lease(String identity, SnapshotRecordCache cache) {
            this.identity = identity;
            this.cache = cache;
        }

        public SnapshotRecordCache cache() {
            return cache;
        }

        @Override
        public void close() {
            synchronized (CACHES) {
                if (closed) return;
                closed = true;
                Shared s = CACHES.get(identity);
                if (s != null && s.cache == cache && --s.users == 0) CACHES.remove(identity);
            }
        }
    }

    private SharedRecordCaches() {}

    /** The cache of the database {@code identity}, made with {@code maxBytes} if it is the first. */
    public static Lease acquire(String identity, long maxBytes) {
        synchronized (CACHES) {
            Shared s = CACHES.computeIfAbsent(identity, k -> new Shared(new SnapshotRecordCache(maxBytes)));
            s.users++;
            return new Lease(identity, s.cache);
        }
    }
}
