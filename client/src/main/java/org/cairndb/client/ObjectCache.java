package org.cairndb.client;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * A connection's identity map and object cache for one storage.
 *
 * <h2>Design</h2>
 * The identity map holds every object of the connection by oid through a weak reference,
 * so one oid is one Java object for as long as anybody holds it, and ghosts nobody holds
 * disappear. Loaded objects are also held strongly in a CLOCK ring (second-chance LRU):
 * {@link Persistent#activate()} sets an access bit, and {@link #sweep} walks the ring from
 * its oldest end, giving accessed objects a second chance and turning the others back into
 * ghosts until the cache is within its bounds (object count and approximate bytes, the
 * latter from record sizes). Changed objects are never evicted.
 *
 * <p>Sweeps run only at transaction boundaries: turning an object into a ghost while a
 * method of it is running (between its {@code activate()} and a field read) would show that
 * method cleared fields.
 *
 * <h2>Concurrency</h2>
 * None: a connection is used by one thread at a time.
 *
 * <h2>Alternatives rejected</h2>
 * An access-ordered LinkedHashMap (a map write on every field read); soft references (the
 * JVM, not the application, would decide what is evicted, and ghosts need their oid kept).
 */
final class ObjectCache {
    private final HashMap<Long, Ref> map = new HashMap<>();
    private final ReferenceQueue<Persistent> queue = new ReferenceQueue<>();
    private final ArrayDeque<Persistent> ring = new ArrayDeque<>();
    private final int maxObjects;
    private final long maxBytes;
    private int loaded;
    private long bytes;

    private static final class Ref extends WeakReference<Persistent> {
        final long oid;

        Ref(Persistent p, ReferenceQueue<Persistent> q) {
            super(p, q);
            this.oid = p.oid();
        }
    }

    ObjectCache(int maxObjects, long maxBytes) {
        this.maxObjects = maxObjects;
        this.maxBytes = maxBytes;
    }

    Persistent get(long oid) {
        Ref r = map.get(oid);
        return r == null ? null : r.get();
    }

    void put(Persistent p) {
        map.put(p.oid(), new Ref(p, queue));
    }

    void remove(Persistent p) {
        Ref r = map.get(p.oid());
        if (r != null && r.get() == p) map.remove(p.oid());
    }

    /** {@code p} was loaded (or written): hold it strongly and count it. */
    void loaded(Persistent p) {
        loaded++;
        bytes += p.estimatedSize();
        if (!p.inRing()) {
            p.setInRing(true);
            ring.addLast(p);
        }
    }

    /** {@code p} became a ghost (or left the connection): stop counting it. */
    void unloaded(Persistent p) {
        loaded--;
        bytes -= p.estimatedSize();
    }

    int size() {
        return map.size();
    }

    int loadedCount() {
        return loaded;
    }

    long approximateBytes() {
        return bytes;
    }

    /** Every object currently in the identity map. */
    List<Persistent> all() {
        List<Persistent> out = new ArrayList<>(map.size());
        for (Ref r : map.values()) {
            Persistent p = r.get();
            if (p != null) out.add(p);
        }
        return out;
    }

    /**
     * Turns least recently used objects into ghosts (through {@code ghostify}) until the
     * cache is within its bounds; with {@code target == 0} every unchanged object goes.
     */
    void sweep(Consumer<Persistent> ghostify, boolean everything) {
        purge();
        int budget = ring.size() * 2;
        while (budget-- > 0 && !ring.isEmpty() && (everything || loaded > maxObjects || bytes > maxBytes)) {
            Persistent p = ring.pollFirst();
            PersistentState s = p.persistentState();
            if (s == PersistentState.GHOST || s == PersistentState.TRANSIENT) {
                p.setInRing(false);
            } else if (s == PersistentState.CHANGED) {
                ring.addLast(p);
            } else if (p.accessedBit() && !everything) {
                p.clearAccessed();
                ring.addLast(p);
            } else {
                p.setInRing(false);
                ghostify.accept(p);
            }
        }
    }

    /** Drops identity-map entries of ghosts the garbage collector took. */
    private void purge() {
        for (Object o; (o = queue.poll()) != null; ) {
            Ref r = (Ref) o;
            Ref cur = map.get(r.oid);
            if (cur == r) map.remove(r.oid);
        }
    }

    void clear() {
        map.clear();
        ring.clear();
        loaded = 0;
        bytes = 0;
    }
}
