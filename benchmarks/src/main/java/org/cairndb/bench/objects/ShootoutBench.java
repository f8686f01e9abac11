package org.cairndb.bench.objects;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
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
 * in objects per second. {@code --model} says how changes are found: {@code manual}
 * (accessors call {@code changing()}), {@code dirty-check} (the database's dirty check finds
 * them: updates do not register, every load and commit pays the comparison).
 *
 * <pre>cairn bench shootout --uri temp: --objects 100000
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

    @Option(names = "--model", defaultValue = "manual", converter = ModelConverter.class,
            description = "how changes are found: manual or dirty-check (default: ${DEFAULT-VALUE})")
    Model model;

    /** How the benchmark's changes reach the database. */
    enum Model {
        MANUAL, DIRTY_CHECK;

        String label() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }
    }

    static final class ModelConverter implements picocli.CommandLine.ITypeConverter<Model> {
        @Override
        public Model convert(String value) {
            for (Model m : Model.values()) if (m.label().equals(value)) return m;
            throw new picocli.CommandLine.TypeConversionException("unknown model '" + value + "'; use manual or dirty-check");
        }
    }

    public ShootoutBench() {}

    @Override
    public Integer call() {
        double add = 0, update = 0, cold = 0, warm = 0, hot = 0;
        int cacheObjects = Math.max(Database.DEFAULT_CACHE_OBJECTS, objects * 3);
        String label;
        try (BenchTarget storage = this.target.open();
                Database db = Database.builder().mount("main", storage.uri()).cacheSize(cacheObjects, Long.MAX_VALUE / 4)
                        .dirtyCheck(model == Model.DIRTY_CHECK).open()) {
            label = storage.label();
            TransactionManager tm = db.transactionManager();
            for (int run = 0; run < repeat; run++) {
                String key = "shootout-" + run + "-" + System.nanoTime();
                try (Connection conn = db.open()) {
                    add = Math.max(add, rate(objects, () -> {
                        BTreeMap<Long, ShootoutObject> map = new BTreeMap<>();
                        for (long i = 0; i < objects; i++) map.put(i, new ShootoutObject(i));
                        conn.root().put(key, map);
                        tm.commit();
                        return 0;
                    }));
                    List<ShootoutObject> all = load(conn, key);
                    update = Math.max(update, rate(objects, () -> {
                        if (model == Model.DIRTY_CHECK) {
                            for (ShootoutObject o : all) o.valueUnregistered(o.value() + 1);
                        } else {
                            for (ShootoutObject o : all) o.value(o.value() + 1);
                        }
                        tm.commit();
                        return 0;
                    }));
                }
                try (Connection conn = db.open()) {
                    cold = Math.max(cold, rate(objects, () -> readAll(conn, key)));
                    tm.abort();
                }
                try (Connection conn = db.open()) {
                    warm = Math.max(warm, rate(objects, () -> readAll(conn, key)));
                    tm.abort();
                    hot = Math.max(hot, rate(objects, () -> readAll(conn, key)));
                    tm.abort();
                }
                try (Connection conn = db.open()) {
                    conn.root().remove(key); // keep the root small between runs
                    tm.commit();
                }
            }
        }
        System.out.printf(Locale.ROOT, "shootout on %s, %d objects, model %s (best of %d): add %.0f/s, update %.0f/s, cold %.0f/s, warm %.0f/s, hot %.0f/s%n",
                label, objects, model.label(), repeat, add, update, cold, warm, hot);
        System.out.printf(Locale.ROOT, "RESULT name=shootout uri=%s objects=%d model=%s add=%.0f update=%.0f cold=%.0f warm=%.0f hot=%.0f%n",
                label, objects, model.label(), add, update, cold, warm, hot);
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static List<ShootoutObject> load(Connection conn, String key) {
        List<ShootoutObject> out = new ArrayList<>();
        for (Map.Entry<Long, ShootoutObject> e : ((BTreeMap<Long, ShootoutObject>) conn.root().get(key)).entrySet()) out.add(e.getValue());
        return out;
    }

    /** Touches every object's state; returns a checksum so the reads cannot be skipped. */
    @SuppressWarnings("unchecked")
    private static long readAll(Connection conn, String key) {
        long sum = 0;
        for (Map.Entry<Long, ShootoutObject> e : ((BTreeMap<Long, ShootoutObject>) conn.root().get(key)).entrySet()) {
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
