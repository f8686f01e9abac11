package org.cairndb.bench.objects;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.TransactionManager;
import org.cairndb.client.btree.BTreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * zodbshootout's workload through the object API, on any storage URI.
 *
 * <ul>
 * <li><b>add</b>: N new small objects into a BTreeMap in one transaction, committed;</li>
 * <li><b>update</b>: every object changed in one transaction, committed;</li>
 * <li><b>cold</b>: a new connection (empty object cache) reads every object;</li>
 * <li><b>warm</b>: another new connection reads them again (the storage's caches, if it has
 *     any, e.g. a remote storage's record cache, are now warm);</li>
 * <li><b>hot</b>: the same connection reads them a third time (objects in its cache).</li>
 * </ul>
 * Each phase is run {@code --repeat} times on fresh objects; the best rate is reported,
 * in objects per second.
 *
 * <p>{@code --model} picks how changes are found: {@code manual} (hand-written
 * {@code activate()}/{@code changing()}, the default), {@code enhanced} (a plain class the
 * build enhanced) or {@code dirty-check} (a setter that registers nothing, found by the
 * database's dirty check at commit: every load and commit pays the comparison). Several,
 * comma-separated, run interleaved (A, B, A, B, ...) in one JVM and print one RESULT line
 * each, so a noisy machine hits them alike.
 *
 * <pre>cairn bench shootout --uri temp: --objects 100000
 * cairn bench shootout --uri temp: --model manual,enhanced --repeat 9
 * cairn bench shootout --uri 'postgres://embedded/postgres?history=free' --serve</pre>
 */
@Command(name = "shootout", mixinStandardHelpOptions = true,
        description = "zodbshootout: objects/s to add, update, read cold, warm and hot")
public final class ShootoutBench implements Callable<Integer> {
    @Mixin
    TargetOptions target;

    @Option(names = "--objects", defaultValue = "1000", description = "objects per phase (default: ${DEFAULT-VALUE})")
    int objects;

    @Option(names = "--repeat", defaultValue = "3", description = "runs of each phase; the best counts (default: ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--model", defaultValue = "manual", split = ",",
            description = "how changes are found: manual (hand-written accessors), enhanced (plain, enhanced) or dirty-check;"
                    + " several, comma-separated, run interleaved (default: ${DEFAULT-VALUE})")
    List<String> models;

    public ShootoutBench() {}

    /** The best rate of each phase over the runs of one model. */
    private static final class Best {
        double add, update, cold, warm, hot;
    }

    /** The class a model stores. */
    static LongFunction<ShootoutItem> factory(String model) {
        switch (model) {
            case "manual": return ShootoutObject::new;
            case "enhanced": return PlainShootoutObject::new;
            case "dirty-check": return UnregisteredShootoutObject::new;
            default: throw new IllegalArgumentException("unknown --model '" + model + "': use manual, enhanced or dirty-check");
        }
    }

    @Override
    public Integer call() {
        Map<String, LongFunction<ShootoutItem>> factories = new LinkedHashMap<>();
        for (String m : models) factories.put(m.trim(), factory(m.trim()));
        Map<String, Best> best = new LinkedHashMap<>();
        factories.keySet().forEach(m -> best.put(m, new Best()));
        int cacheObjects = Math.max(Database.DEFAULT_CACHE_OBJECTS, objects * 3);
        String label;
        try (BenchTarget storage = this.target.open();
                Database db = Database.builder().mount("main", storage.uri()).cacheSize(cacheObjects, Long.MAX_VALUE / 4).open();
                Database dirtyDb = Database.builder().mount("main", storage.uri()).cacheSize(cacheObjects, Long.MAX_VALUE / 4)
                        .dirtyCheck(true).open()) {
            label = storage.label();
            for (int run = 0; run < repeat; run++) {
                for (Map.Entry<String, LongFunction<ShootoutItem>> m : factories.entrySet()) {
                    Database which = m.getKey().equals("dirty-check") ? dirtyDb : db;
                    runOnce(which, "shootout-" + m.getKey() + "-" + run + "-" + System.nanoTime(), m.getValue(), best.get(m.getKey()));
                }
            }
        }
        for (Map.Entry<String, Best> e : best.entrySet()) {
            Best b = e.getValue();
            System.out.printf(Locale.ROOT, "shootout on %s, model %s, %d objects (best of %d): add %.0f/s, update %.0f/s, cold %.0f/s, warm %.0f/s, hot %.0f/s%n",
                    label, e.getKey(), objects, repeat, b.add, b.update, b.cold, b.warm, b.hot);
        }
        for (Map.Entry<String, Best> e : best.entrySet()) {
            Best b = e.getValue();
            System.out.printf(Locale.ROOT, "RESULT name=shootout uri=%s model=%s objects=%d add=%.0f update=%.0f cold=%.0f warm=%.0f hot=%.0f%n",
                    label, e.getKey(), objects, b.add, b.update, b.cold, b.warm, b.hot);
        }
        return 0;
    }

    private void runOnce(Database db, String key, LongFunction<ShootoutItem> make, Best best) {
        TransactionManager tm = db.transactionManager();
        try (Connection conn = db.open()) {
            best.add = Math.max(best.add, rate(objects, () -> {
                BTreeMap<Long, ShootoutItem> map = new BTreeMap<>();
                for (long i = 0; i < objects; i++) map.put(i, make.apply(i));
                conn.root().put(key, map);
                tm.commit();
                return 0;
            }));
            List<ShootoutItem> all = load(conn, key);
            best.update = Math.max(best.update, rate(objects, () -> {
                for (ShootoutItem o : all) o.value(o.value() + 1);
                tm.commit();
                return 0;
            }));
        }
        try (Connection conn = db.open()) {
            best.cold = Math.max(best.cold, rate(objects, () -> readAll(conn, key)));
            tm.abort();
        }
        try (Connection conn = db.open()) {
            best.warm = Math.max(best.warm, rate(objects, () -> readAll(conn, key)));
            tm.abort();
            best.hot = Math.max(best.hot, rate(objects, () -> readAll(conn, key)));
            tm.abort();
        }
        try (Connection conn = db.open()) {
            conn.root().remove(key); // keep the root small between runs
            tm.commit();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<ShootoutItem> load(Connection conn, String key) {
        List<ShootoutItem> out = new ArrayList<>();
        for (Map.Entry<Long, ShootoutItem> e : ((BTreeMap<Long, ShootoutItem>) conn.root().get(key)).entrySet()) out.add(e.getValue());
        return out;
    }

    /** Touches every object's state; returns a checksum so the reads cannot be skipped. */
    @SuppressWarnings("unchecked")
    private static long readAll(Connection conn, String key) {
        long sum = 0;
        for (Map.Entry<Long, ShootoutItem> e : ((BTreeMap<Long, ShootoutItem>) conn.root().get(key)).entrySet()) {
            sum += e.getValue().value();
        }
        return sum;
    }

    private static double rate(int n, LongSupplier phase) {
        long t0 = System.nanoTime();
        long check = phase.getAsLong();
        long dt = Math.max(1, System.nanoTime() - t0);
        if (check < 0) throw new IllegalStateException("negative checksum");
        return n / (dt / 1e9);
    }
}
