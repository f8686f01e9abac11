package org.cairndb.bench.objects;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.TransactionManager;
import org.cairndb.client.btree.BTreeMap;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.RetryableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * ZODB's best-known BTree weakness: W writers insert increasing keys (a shared sequence, as
 * timestamps or ids would be) into one BTreeMap, one key per transaction, retried by
 * {@code TransactionManager.run}. Measured twice: with Cairn's BTreeMap (append splits
 * through a spare bucket, mergeable inner nodes) and with a plain tree whose every split
 * conflicts (the baseline). {@code conflict_rate} is the share of attempts that failed with
 * a conflict: retries / (commits + retries).
 *
 * <pre>cairn bench btree-append --uri temp: --writers 4</pre>
 */
@Command(
        name = "btree-append",
        mixinStandardHelpOptions = true,
        description =
                "W writers append increasing keys to one BTreeMap; conflict rate vs a split-conflicts-always baseline")
public final class BTreeAppendBench implements Callable<Integer> {
    @Option(names = "--uri", defaultValue = "mem:", description = "storage URI (default: ${DEFAULT-VALUE})")
    String uri;

    @Option(names = "--writers", defaultValue = "4", description = "writer threads (default: ${DEFAULT-VALUE})")
    int writers;

    @Option(names = "--inserts", defaultValue = "1000", description = "keys per writer (default: ${DEFAULT-VALUE})")
    int inserts;

    @Option(names = "--bucket-size", defaultValue = "64", description = "bucket size (default: ${DEFAULT-VALUE})")
    int bucketSize;

    public BTreeAppendBench() {}

    record Outcome(double commitsPerSecond, double conflictRate, long gaveUp, long size) {}

    @Override
    public Integer call() throws Exception {
        try (Database db = Database.open(uri)) {
            int measured = inserts;
            inserts = Math.max(50, measured / 10); // warm-up of both variants (JIT, codecs), not reported
            run(db, BTreeMap.withPlainSplits(bucketSize, BTreeMap.DEFAULT_INNER_SIZE), false);
            run(db, new BTreeMap<>(bucketSize, BTreeMap.DEFAULT_INNER_SIZE), false);
            inserts = measured;
            Outcome plain = run(db, BTreeMap.withPlainSplits(bucketSize, BTreeMap.DEFAULT_INNER_SIZE), true);
            Outcome cairn = run(db, new BTreeMap<>(bucketSize, BTreeMap.DEFAULT_INNER_SIZE), true);
            System.out.printf(
                    Locale.ROOT,
                    "btree-append on %s, %d writers x %d keys: append splits %.0f commits/s, conflict rate %.4f;"
                            + " plain splits %.0f commits/s, conflict rate %.4f%n",
                    uri,
                    writers,
                    inserts,
                    cairn.commitsPerSecond,
                    cairn.conflictRate,
                    plain.commitsPerSecond,
                    plain.conflictRate);
            System.out.printf(
                    Locale.ROOT,
                    "RESULT name=btree-append uri=%s writers=%d commits_per_s=%.0f conflict_rate=%.4f"
                            + " baseline_commits_per_s=%.0f baseline_conflict_rate=%.4f app_conflicts=%d%n",
                    uri,
                    writers,
                    cairn.commitsPerSecond,
                    cairn.conflictRate,
                    plain.commitsPerSecond,
                    plain.conflictRate,
                    cairn.gaveUp + plain.gaveUp);
        }
        return 0;
    }

    @SuppressWarnings("unchecked")
    private Outcome run(Database db, BTreeMap<Long, String> fresh, boolean report) throws Exception {
        TransactionManager tm = db.transactionManager();
        String key = "append-" + System.nanoTime();
        try (Connection conn = db.open()) {
            conn.root().put(key, fresh);
            tm.commit();
        }
        AtomicLong sequence = new AtomicLong();
        AtomicLong gaveUp = new AtomicLong();
        AtomicLong retries = new AtomicLong();
        ConcurrentHashMap<String, Long> conflictsByClass = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CyclicBarrier go = new CyclicBarrier(writers + 1);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            futures.add(pool.submit(() -> {
                try (Connection conn = db.open()) {
                    BTreeMap<Long, String> tree =
                            (BTreeMap<Long, String>) conn.root().get(key);
                    tm.abort();
                    go.await();
                    for (int i = 0; i < inserts; i++) {
                        // run(...)'s loop, written out to see which objects conflict
                        boolean done = false;
                        for (int attempt = 0; attempt < 1000 && !done; attempt++) {
                            tm.begin();
                            try {
                                tree.put(sequence.incrementAndGet(), "w" + writer);
                                tm.commit();
                                done = true;
                            } catch (RetryableException e) {
                                tm.abort();
                                retries.incrementAndGet();
                                String cls = e instanceof ConflictException ce && ce.className() != null
                                        ? ce.className()
                                        : e.getClass().getSimpleName();
                                conflictsByClass.merge(cls.substring(cls.lastIndexOf('.') + 1), 1L, Long::sum);
                            }
                        }
                        if (!done) gaveUp.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        go.await();
        long t0 = System.nanoTime();
        for (Future<?> f : futures) f.get();
        double secs = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        if (report) System.out.println("conflicts by class: " + new TreeMap<>(conflictsByClass));
        long commits = (long) writers * inserts - gaveUp.get();
        long size;
        try (Connection conn = db.open()) {
            BTreeMap<Long, String> tree = (BTreeMap<Long, String>) conn.root().get(key);
            tree.checkInvariants();
            size = tree.longSize();
            if (size != commits)
                throw new IllegalStateException("tree holds " + size + " keys after " + commits + " committed inserts");
            tm.abort();
        }
        return new Outcome(commits / secs, (double) retries.get() / (commits + retries.get()), gaveUp.get(), size);
    }
}
