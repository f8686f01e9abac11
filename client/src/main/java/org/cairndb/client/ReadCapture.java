package org.cairndb.client;

import java.util.HashMap;
import java.util.Map;

/**
 * Dependency capture for the fragment cache: while a fragment's supplier runs, every object
 * its thread reads (loads, or finds already loaded and activates) is recorded with the mount
 * it lives in and the snapshot tid it was read at. {@link Persistent#activate()} and
 * {@link Jar} call {@link #read}; the cost when nothing captures is one volatile read.
 *
 * <p>Captures nest: a fragment rendered inside another adds its dependencies (also when it is
 * served from the cache) to the outer one, so the outer fragment is forgotten whenever the
 * inner one would be.
 */
final class ReadCapture {
    /** Captures running in any thread: the fast path of {@link #read} skips the thread-local when zero. */
    private static volatile int running;

    private static final ThreadLocal<ReadCapture> CURRENT = new ThreadLocal<>();

    final Database db;
    private final ReadCapture outer;
    /** mount → oids read. */
    final Map<String, OidSet> oids = new HashMap<>();
    /** mount → the oldest snapshot tid a dependency was read at. */
    final Map<String, Long> snapshots = new HashMap<>();
    /** Something was read that the cache cannot track (another database, uncommitted changes): do not store. */
    String untrackable;

    private ReadCapture(Database db, ReadCapture outer) {
        this.db = db;
        this.outer = outer;
    }

    static ReadCapture start(Database db) {
        ReadCapture c = new ReadCapture(db, CURRENT.get());
        CURRENT.set(c);
        synchronized (ReadCapture.class) {
            running++;
        }
        return c;
    }

    /** Ends this capture; its dependencies join the enclosing one, if any. */
    void end() {
        synchronized (ReadCapture.class) {
            running--;
        }
        CURRENT.set(outer);
        if (outer != null) outer.addAll(this);
    }

    /** The capture running in this thread, or null. */
    static ReadCapture current() {
        return running == 0 ? null : CURRENT.get();
    }

    static void read(Jar jar, long oid, boolean changed) {
        if (running == 0) return;
        ReadCapture c = CURRENT.get();
        if (c != null) c.add(jar, oid, changed);
    }

    private void add(Jar jar, long oid, boolean changed) {
        if (jar.connection().database() != db) {
            if (untrackable == null)
                untrackable = "it read objects of another database ("
                        + jar.connection().database().name() + ")";
        } else if (changed || jar.hasChanges()) {
            if (untrackable == null) untrackable = "it read in a transaction with uncommitted changes";
        }
        add(jar.mount, oid, jar.viewTid());
    }

    /** Records a dependency read at snapshot {@code tid} of {@code mount}. */
    void add(String mount, long oid, long tid) {
        oids.computeIfAbsent(mount, m -> new OidSet()).add(oid);
        snapshots.merge(mount, tid, (a, b) -> Long.compareUnsigned(a, b) <= 0 ? a : b);
    }

    private void addAll(ReadCapture inner) {
        for (Map.Entry<String, OidSet> e : inner.oids.entrySet()) {
            OidSet mine = oids.computeIfAbsent(e.getKey(), m -> new OidSet());
            e.getValue().forEach(mine::add);
        }
        for (Map.Entry<String, Long> e : inner.snapshots.entrySet()) {
            snapshots.merge(e.getKey(), e.getValue(), (a, b) -> Long.compareUnsigned(a, b) <= 0 ? a : b);
        }
        if (untrackable == null) untrackable = inner.untrackable;
    }

    /** A small open-addressing set of oids (no boxing: a page may read thousands). */
    static final class OidSet {
        private long[] slots = new long[16];
        private boolean hasZero;
        private int size;

        void add(long oid) {
            if (oid == 0) {
                if (!hasZero) size++;
                hasZero = true;
                return;
            }
            if ((size + 1) * 2 > slots.length) grow();
            if (insert(slots, oid)) size++;
        }

        private boolean insert(long[] table, long oid) {
            int mask = table.length - 1;
            int i = Long.hashCode(oid * 0x9E3779B97F4A7C15L) & mask;
            while (table[i] != 0) {
                if (table[i] == oid) return false;
                i = (i + 1) & mask;
            }
            table[i] = oid;
            return true;
        }

        private void grow() {
            long[] old = slots;
            slots = new long[old.length * 2];
            for (long o : old) if (o != 0) insert(slots, o);
        }

        void forEach(java.util.function.LongConsumer f) {
            if (hasZero) f.accept(0);
            for (long o : slots) if (o != 0) f.accept(o);
        }

        long[] toArray() {
            long[] out = new long[size];
            int n = 0;
            if (hasZero) out[n++] = 0;
            for (long o : slots) if (o != 0) out[n++] = o;
            return out;
        }
    }
}
