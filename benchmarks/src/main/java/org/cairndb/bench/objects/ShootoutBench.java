package org.cairndb.bench.objects;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.storage.Storage;
import org.cairndb.storage.uri.Storages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * zodbshootout's speed test through the object API, on any storage URI, with zodbshootout's
 * definitions (see {@link ShootoutRun} for the phases: add, update, write_read, cold, hot,
 * steamin). Each phase is timed over {@code --repeat} samples of one transaction of
 * {@code --object-counts} objects per worker; the RESULT line gives the mean objects/s of the
 * samples with their standard deviation ({@code add_sd=} ...). Objects are
 * {@link ShootoutObject}s whose stored record is {@code --object-size} bytes.
 * {@code --concurrency N} runs N worker threads on their own objects at once; a sample's rate
 * is the sum of theirs. On {@code postgres://} the same run measures a raw COPY of the same
 * rows into the same PostgreSQL ({@code copy_floor=}, {@link CopyFloor}).
 *
 * <p>{@code --model} says how changes are found: {@code manual} (hand-written
 * {@code activate()}/{@code changing()}, the default), {@code enhanced} (a plain class the
 * build enhanced) or {@code dirty-check} (a setter that registers nothing, found by the
 * database's dirty check at commit: every load and commit pays the comparison). Several,
 * comma-separated, run one after another on the same storage, one RESULT line each.
 *
 * <pre>cairn bench shootout --uri temp: --concurrency 4
 * cairn bench shootout --uri 'postgres://embedded/postgres?history=free' [--serve]</pre>
 */
@Command(
        name = "shootout",
        mixinStandardHelpOptions = true,
        description = "zodbshootout: mean objects/s to add, update, write and read back, read cold, hot and steamin")
public final class ShootoutBench implements Callable<Integer> {
    /** zodbshootout 0.8.0's default objects pickle to about 1.5 KB; ours store records of this many bytes. */
    static final int DEFAULT_OBJECT_SIZE = 1500;

    @Mixin
    TargetOptions target;

    @Option(
            names = {"--object-counts", "-n", "--objects"},
            defaultValue = "1000",
            description = "objects per transaction, per worker (default: ${DEFAULT-VALUE}; --objects is the old name)")
    int objects;

    @Option(
            names = {"--object-size", "-s"},
            defaultValue = "" + DEFAULT_OBJECT_SIZE,
            description =
                    "bytes of each object's stored record (default: ${DEFAULT-VALUE}, as zodbshootout's ~1.5 KB pickles)")
    int objectSize;

    @Option(
            names = {"--concurrency", "-c"},
            defaultValue = "1",
            description = "worker threads, each on its own objects (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(
            names = {"--repeat", "-r"},
            defaultValue = "5",
            description =
                    "samples of each phase; the mean and its standard deviation are reported (default: ${DEFAULT-VALUE})")
    int repeat;

    @Option(
            names = "--warmup",
            defaultValue = "1",
            description = "samples run first and not counted, while the JIT compiles (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(
            names = "--model",
            defaultValue = "manual",
            split = ",",
            converter = ModelConverter.class,
            description = "how changes are found: manual (hand-written accessors), enhanced (plain classes the build"
                    + " enhanced) or dirty-check (unregistered writes found at commit); several, comma-separated, run"
                    + " one after another in this JVM, one RESULT line each (default: ${DEFAULT-VALUE})")
    List<Model> models;

    /** How the benchmark's changes reach the database: which class it stores. */
    enum Model {
        MANUAL(ShootoutObject::new),
        ENHANCED(PlainShootoutObject::new),
        DIRTY_CHECK(UnregisteredShootoutObject::new);

        private final java.util.function.BiFunction<Long, byte[], ShootoutItem> make;

        Model(java.util.function.BiFunction<Long, byte[], ShootoutItem> make) {
            this.make = make;
        }

        ShootoutItem make(long value, byte[] data) {
            return make.apply(value, data);
        }

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    static final class ModelConverter implements picocli.CommandLine.ITypeConverter<Model> {
        @Override
        public Model convert(String value) {
            for (Model m : Model.values()) if (m.label().equals(value.trim())) return m;
            throw new picocli.CommandLine.TypeConversionException(
                    "unknown model '" + value + "'; use manual, enhanced or dirty-check");
        }
    }

    public ShootoutBench() {}

    @Override
    public Integer call() {
        if (objects < 1 || repeat < 1 || concurrency < 1 || objectSize < 1 || warmup < 0) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this),
                    "--object-counts, --object-size, --concurrency and --repeat must be at least 1, --warmup at least 0");
        }
        int dataLength = payloadFor(objectSize);
        int recordBytes = recordBytes(dataLength);
        try (BenchTarget bench = this.target.open();
                Storage storage = Storages.open(bench.uri())) {
            PhaseStats copy = null;
            CopyFloor floor = CopyFloor.forUri(bench.uri());
            if (floor != null) copy = floor.measure(objects, recordBytes, concurrency, warmup, repeat);
            for (Model model : models) {
                ShootoutRun run =
                        new ShootoutRun(bench.uri(), storage, objects, warmup, repeat, concurrency, dataLength, model);
                PhaseStats[] phases = run.run();
                report(
                        bench.label(),
                        bench.uri().startsWith("cairn://"),
                        model,
                        recordBytes,
                        phases,
                        copy,
                        run.coldCacheHits.get(),
                        run.coldServerLoads.get());
            }
        }
        return 0;
    }

    private void report(
            String label,
            boolean remoteClient,
            Model model,
            int recordBytes,
            PhaseStats[] phases,
            PhaseStats copy,
            long coldHits,
            long coldLoads) {
        StringBuilder human = new StringBuilder(String.format(
                Locale.ROOT,
                "shootout on %s, %d objects x %d bytes (record), concurrency %d, model %s, mean ±stdev (min-max) of %d samples after %d warm-up, objects/s:%n",
                label,
                objects,
                recordBytes,
                concurrency,
                model.label(),
                repeat,
                warmup));
        for (int p = 0; p < phases.length; p++)
            human.append(String.format(Locale.ROOT, "  %-10s %s%n", ShootoutRun.PHASES[p], phases[p].describe()));
        if (copy != null)
            human.append(String.format(Locale.ROOT, "  %-10s %s rows/s%n", "copy floor", copy.describe()));
        if (remoteClient) {
            human.append(String.format(
                    Locale.ROOT,
                    "  cold phases: %d loads sent to the server, %d answered by a record cache%n",
                    coldLoads,
                    coldHits));
        }
        System.out.print(human);
        StringBuilder result = new StringBuilder(String.format(
                Locale.ROOT,
                "RESULT name=shootout uri=%s model=%s concurrency=%d object_size=%d record_bytes=%d objects=%d samples=%d",
                label,
                model.label(),
                concurrency,
                objectSize,
                recordBytes,
                objects,
                repeat));
        for (int p = 0; p < phases.length; p++) {
            result.append(String.format(
                    Locale.ROOT,
                    " %s=%.0f %s_sd=%.0f",
                    ShootoutRun.PHASES[p],
                    phases[p].mean(),
                    ShootoutRun.PHASES[p],
                    phases[p].stdev()));
        }
        if (copy != null) {
            result.append(String.format(
                    Locale.ROOT,
                    " copy_floor=%.0f copy_floor_sd=%.0f add_vs_copy=%.3f",
                    copy.mean(),
                    copy.stdev(),
                    phases[0].mean() / copy.mean()));
        } else {
            result.append(" copy_floor=n/a add_vs_copy=n/a");
        }
        System.out.println(result);
    }

    /**
     * The payload length that makes a {@link ShootoutObject}'s stored record {@code objectSize}
     * bytes: the record of an object with an empty payload, measured on {@code temp:}, is the
     * base; the payload is the rest (none when the base is already larger), corrected once for
     * the payload's length prefix growing with it.
     */
    static int payloadFor(int objectSize) {
        int guess = Math.max(0, objectSize - recordBytes(0));
        return Math.max(0, guess - (recordBytes(guess) - objectSize));
    }

    /** The stored record size of a {@link ShootoutObject} with a payload of {@code dataLength} bytes. */
    static int recordBytes(int dataLength) {
        try (Database db = Database.open("temp:");
                Connection conn = db.open()) {
            ShootoutObject o = new ShootoutObject(1, new byte[dataLength]);
            conn.root().put("probe", o);
            db.transactionManager().commit();
            return db.storage().load(o.oid()).data().length;
        }
    }
}
