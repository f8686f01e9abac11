package org.cairndb.bench.objects;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.TransactionManager;
import org.cairndb.client.btree.BTreeMap;
import org.cairndb.remote.RemoteStorage;
import org.cairndb.storage.Storage;
import org.cairndb.storage.uri.Storages;

/**
 * One run of the shootout's phases by {@code concurrency} worker threads, each on its own
 * objects, in lockstep: every worker does phase P of sample S, all wait, then the next phase.
 *
 * <p>Per sample each worker does, timing each phase on its own:
 * <ol>
 * <li><b>add</b>: a new connection puts N new objects into a new BTreeMap in the worker's
 *     container; commit;</li>
 * <li><b>update</b>: a new connection changes every one of those objects; commit;</li>
 * <li><b>write_read</b>: a new connection adds N more objects and commits, then another new
 *     connection reads them back (zodbshootout's "warm");</li>
 * <li><b>cold</b>: every cache emptied (see {@link #openCold}), a new connection reads every
 *     object of the add phase;</li>
 * <li><b>hot</b>: another new connection of the same (now warm) client reads them again
 *     (empty object cache, warm record caches);</li>
 * <li><b>steamin</b>: the same connection reads them a third time (objects in its cache).</li>
 * </ol>
 * A sample's rate is the sum over workers of N / seconds. The workers share one storage
 * client (each with its own {@link Database} and transaction manager), except in the cold
 * phase, which opens a new client per worker when the storage is out of process.
 */
final class ShootoutRun {
    static final String[] PHASES = {"add", "update", "write_read", "cold", "hot", "steamin"};
    private static final int ADD = 0, UPDATE = 1, WRITE_READ = 2, COLD = 3, HOT = 4, STEAMIN = 5;

    private final String uri;
    private final Storage shared;
    private final int objects;
    private final int samples;
    private final int warmup;
    private final int concurrency;
    private final int dataLength;
    private final ShootoutBench.Model model;
    private final String key = "shootout-" + System.nanoTime();
    private final double[][] rates;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Loads the cold phases' fresh cairn:// clients answered from a record cache: 0 when cold is cold. */
    final AtomicLong coldCacheHits = new AtomicLong();
    /** Loads the cold phases' fresh cairn:// clients sent to the server. */
    final AtomicLong coldServerLoads = new AtomicLong();

    /** {@code warmup} samples run first and are not counted (the JIT compiles the paths), then {@code samples} counted ones. */
    ShootoutRun(
            String uri,
            Storage shared,
            int objects,
            int warmup,
            int samples,
            int concurrency,
            int dataLength,
            ShootoutBench.Model model) {
        this.uri = uri;
        this.shared = shared;
        this.objects = objects;
        this.warmup = warmup;
        this.samples = samples;
        this.concurrency = concurrency;
        this.dataLength = dataLength;
        this.model = model;
        this.rates = new double[PHASES.length][samples];
    }

    /** Runs every worker to the end; returns one {@link PhaseStats} per phase, in {@link #PHASES} order. */
    PhaseStats[] run() {
        try (Database db = database(shared)) {
            TransactionManager tm = db.transactionManager();
            try (Connection conn = db.open()) {
                for (int w = 0; w < concurrency; w++)
                    conn.root().put(key + "-" + w, new BTreeMap<Integer, BTreeMap<Long, ShootoutItem>>());
                tm.commit();
            }
            // a failing worker leaves the phaser, so the others are not left waiting for it, and they stop at their
            // next phase
            Phaser barrier = new Phaser(concurrency);
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                int worker = w;
                Thread t = new Thread(
                        () -> {
                            try {
                                work(worker, barrier);
                            } catch (CancellationException e) {
                                barrier.arriveAndDeregister(); // another worker failed first
                            } catch (Throwable e) {
                                failure.compareAndSet(null, e);
                                barrier.arriveAndDeregister();
                            }
                        },
                        "shootout-" + w);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) join(t);
            Throwable f = failure.get();
            if (f instanceof RuntimeException r) throw r;
            if (f instanceof Error e) throw e;
            if (f != null) throw new IllegalStateException("a shootout worker failed: " + f, f);
            try (Connection conn = db.open()) { // keep the root small for the next run on this storage
                for (int w = 0; w < concurrency; w++) conn.root().remove(key + "-" + w);
                tm.commit();
            }
        }
        PhaseStats[] out = new PhaseStats[PHASES.length];
        for (int p = 0; p < PHASES.length; p++) {
            out[p] = new PhaseStats(samples);
            for (int s = 0; s < samples; s++) out[p].add(rates[p][s]);
        }
        return out;
    }

    private void work(int worker, Phaser barrier) {
        byte[][] data = payloads(worker);
        String container = key + "-" + worker;
        try (Database db = database(shared)) {
            TransactionManager tm = db.transactionManager();
            for (int s = -warmup; s < samples; s++) {
                int added = 2 * (s + warmup), written = added + 1;
                await(barrier);
                long t0 = System.nanoTime();
                try (Connection conn = db.open()) {
                    addObjects(conn, container, added, data);
                    tm.commit();
                }
                record(ADD, s, t0);

                await(barrier);
                t0 = System.nanoTime();
                try (Connection conn = db.open()) {
                    for (ShootoutItem o : map(conn, container, added).values()) {
                        o.value(o.value() + 1); // the dirty-check model's setter registers nothing
                    }
                    tm.commit();
                }
                record(UPDATE, s, t0);

                await(barrier);
                t0 = System.nanoTime();
                try (Connection conn = db.open()) {
                    addObjects(conn, container, written, data);
                    tm.commit();
                }
                try (Connection conn = db.open()) {
                    readAll(conn, container, written);
                    tm.abort();
                }
                record(WRITE_READ, s, t0);

                ColdClient cold = openCold();
                try {
                    TransactionManager ctm = cold.db.transactionManager();
                    long hits0 = cold.hits(), misses0 = cold.misses();
                    await(barrier);
                    t0 = System.nanoTime();
                    try (Connection conn = cold.db.open()) {
                        readAll(conn, container, added);
                        ctm.abort();
                    }
                    record(COLD, s, t0);
                    if (s >= 0) {
                        coldCacheHits.addAndGet(cold.hits() - hits0);
                        coldServerLoads.addAndGet(cold.misses() - misses0);
                    }

                    await(barrier);
                    t0 = System.nanoTime();
                    try (Connection conn = cold.db.open()) {
                        readAll(conn, container, added);
                        ctm.abort();
                        record(HOT, s, t0);

                        await(barrier);
                        t0 = System.nanoTime();
                        readAll(conn, container, added);
                        ctm.abort();
                        record(STEAMIN, s, t0);
                    }
                } finally {
                    cold.close();
                }
            }
        }
    }

    private void record(int phase, int sample, long t0) {
        if (sample < 0) return; // a warm-up sample
        double seconds = Math.max(1, System.nanoTime() - t0) / 1e9;
        synchronized (rates) {
            rates[phase][sample] += objects / seconds;
        }
    }

    /** A client with every cache empty, the storage it reads ({@code owned}: opened for it) and its record cache's counters. */
    private record ColdClient(Database db, Storage storage, boolean owned) {
        long hits() {
            return storage instanceof RemoteStorage r ? r.cacheHits() : 0;
        }

        long misses() {
            return storage instanceof RemoteStorage r ? r.cacheMisses() : 0;
        }

        void close() {
            db.close();
            if (owned) storage.close();
        }
    }

    /**
     * Empties every cache a cold read could hit: the object cache (a new {@link Database}: its
     * connections start empty); for a storage out of process ({@code cairn://},
     * {@code postgres://}) a new client, so the {@code cairn://} client's record cache is new
     * and empty (opened without {@code cache=}, so no persistent cache file either); and any
     * process-wide record cache ({@link #emptyProcessRecordCaches}). In-process storages
     * ({@code temp:}, {@code mem:}) are their own memory: the database reads the same storage
     * through a new, empty object cache.
     */
    private ColdClient openCold() {
        emptyProcessRecordCaches();
        if (!shared.remote()) return new ColdClient(database(shared), shared, false);
        Storage fresh = Storages.open(withoutPersistentCache(uri));
        try {
            return new ColdClient(database(fresh), fresh, true);
        } catch (RuntimeException e) {
            fresh.close();
            throw e;
        }
    }

    /**
     * The hook for process-wide record caches (shared by every client of a storage in this JVM):
     * none exists on this code base yet; when one is added, clear it here so "cold" stays cold.
     */
    static void emptyProcessRecordCaches() {
        // no process-wide record cache exists yet
    }

    /** {@code uri} without its {@code cache=} parameter (the cairn:// client's persistent record cache). */
    static String withoutPersistentCache(String uri) {
        int q = uri.indexOf('?');
        if (q < 0) return uri;
        StringBuilder kept = new StringBuilder();
        for (String p : uri.substring(q + 1).split("&")) {
            if (p.isEmpty() || p.startsWith("cache=")) continue;
            kept.append(kept.length() == 0 ? "?" : "&").append(p);
        }
        return uri.substring(0, q) + kept;
    }

    private Database database(Storage storage) {
        int cacheObjects = Math.max(Database.DEFAULT_CACHE_OBJECTS, objects * 3);
        return Database.builder()
                .mount("main", storage)
                .cacheSize(cacheObjects, Long.MAX_VALUE / 4)
                .dirtyCheck(model == ShootoutBench.Model.DIRTY_CHECK)
                .open();
    }

    private void addObjects(Connection conn, String container, int slot, byte[][] data) {
        BTreeMap<Long, ShootoutItem> m = new BTreeMap<>();
        for (int i = 0; i < objects; i++) m.put((long) i, model.make(1, data[i]));
        containerOf(conn, container).put(slot, m);
    }

    @SuppressWarnings("unchecked")
    private static BTreeMap<Integer, BTreeMap<Long, ShootoutItem>> containerOf(Connection conn, String container) {
        return (BTreeMap<Integer, BTreeMap<Long, ShootoutItem>>) conn.root().get(container);
    }

    private static BTreeMap<Long, ShootoutItem> map(Connection conn, String container, int slot) {
        return containerOf(conn, container).get(slot);
    }

    /** Reads every object's attribute and payload; fails if any is missing, so the reads cannot be skipped. */
    private void readAll(Connection conn, String container, int slot) {
        long got = 0, bytes = 0;
        for (ShootoutItem o : map(conn, container, slot).values()) {
            got++;
            bytes += o.dataLength() + (o.value() > 0 ? 0 : 1);
        }
        if (got != objects || bytes != (long) objects * dataLength) {
            throw new IllegalStateException("read " + got + " objects of " + bytes + " bytes, expected " + objects
                    + " of " + (long) objects * dataLength);
        }
    }

    /** Pseudo-random words (as zodbshootout's payload, so compression sees realistic data), fixed per worker. */
    private byte[][] payloads(int worker) {
        Random r = new Random(1009L * worker + 17);
        byte[][] out = new byte[objects][];
        for (int i = 0; i < objects; i++) {
            byte[] b = new byte[dataLength];
            for (int j = 0; j < b.length; j++) b[j] = r.nextInt(7) == 0 ? (byte) ' ' : (byte) ('a' + r.nextInt(26));
            out[i] = b;
        }
        return out;
    }

    /** Waits until every worker reaches this phase; stops this one when another has failed. */
    private void await(Phaser barrier) {
        barrier.arriveAndAwaitAdvance();
        if (failure.get() != null) throw new CancellationException("another shootout worker failed");
    }

    /** Waits for a worker to end; an interrupt (e.g. a test's hang guard) ends the wait with an error. */
    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for shootout worker " + t.getName(), e);
        }
    }
}
