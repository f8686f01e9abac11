package org.cairndb.bench.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.cairndb.client.FaultyStorage;
import org.cairndb.postgres.testing.TestPostgres;
import org.cairndb.storage.Storage;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code bench shootout} measures what zodbshootout measures: its phases, sizes, concurrency, a cold that is cold, the COPY floor. */
class ShootoutBenchTest {
    private static final String[] FIELDS = {"add", "update", "write_read", "cold", "hot", "steamin"};

    @Test
    void reportsZodbshootoutsPhasesAsMeansWithSpreadAtTheRequestedSize() {
        Map<String, String> r = run(
                "--uri",
                "temp:",
                "--object-counts",
                "40",
                "--object-size",
                "700",
                "--concurrency",
                "2",
                "--repeat",
                "2",
                "--warmup",
                "0");
        assertThat(r)
                .containsEntry("uri", "temp:")
                .containsEntry("concurrency", "2")
                .containsEntry("object_size", "700")
                .containsEntry("record_bytes", "700")
                .containsEntry("samples", "2")
                .containsEntry("model", "manual")
                .containsEntry("copy_floor", "n/a")
                .containsEntry("add_vs_copy", "n/a");
        for (String f : FIELDS) {
            assertThat(Double.parseDouble(r.get(f))).as(f).isPositive();
            assertThat(r).containsKey(f + "_sd");
        }
    }

    @Test
    void defaultObjectsStoreRecordsOfZodbshootoutsSize() {
        assertThat(ShootoutBench.recordBytes(ShootoutBench.payloadFor(ShootoutBench.DEFAULT_OBJECT_SIZE)))
                .isEqualTo(ShootoutBench.DEFAULT_OBJECT_SIZE);
    }

    @Test
    void oldOptionNameStillWorks() {
        Map<String, String> r =
                run("--uri", "temp:", "--objects", "10", "--repeat", "1", "--warmup", "0", "--model", "dirty-check");
        assertThat(r).containsEntry("objects", "10").containsEntry("model", "dirty-check");
    }

    @Test
    void severalModelsRunOneAfterAnotherTheLastLineIsTheLastModels() {
        Map<String, String> r = run(
                "--uri", "temp:", "--objects", "10", "--repeat", "1", "--warmup", "0", "--model", "manual,enhanced");
        assertThat(r).containsEntry("model", "enhanced");
        assertThat(Double.parseDouble(r.get("update"))).isPositive();
    }

    /** The old shootout read "cold" through the cairn:// client's warm record cache; cold now loads every object from the server. */
    @Test
    void coldOverCairnLoadsEveryObjectFromTheServer() {
        int objects = 30, samples = 2, workers = 2;
        try (BenchTarget served = BenchTarget.open("temp:", true);
                Storage client = Storages.open(served.uri())) {
            ShootoutRun run = new ShootoutRun(
                    served.uri(), client, objects, 0, samples, workers, 100, ShootoutBench.Model.MANUAL);
            run.run();
            // each cold read: the worker's container, its map's buckets and every object, from the server
            assertThat(run.coldServerLoads.get()).isGreaterThanOrEqualTo((long) objects * samples * workers);
            // only the root, which opening the new client loads before the clock starts, is in its cache
            assertThat(run.coldCacheHits.get()).isLessThanOrEqualTo((long) samples * workers);
        }
    }

    /**
     * A worker whose commit fails used to reset a CyclicBarrier; a peer reaching the barrier
     * after that waited forever for it (a postgres:// run at concurrency 4 hung so). Now the run
     * ends with the worker's error. The peer's commit waits until the failure is under way, so
     * that it comes to the barrier after the failing worker has ended.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // a guard against the hang this test is about, not a speed check
    void aFailingWorkerEndsTheRunWithItsError() throws Exception {
        try (Storage temp = Storages.open("temp:")) {
            FaultyStorage faulty = new FaultyStorage(temp);
            CountDownLatch failing = new CountDownLatch(1);
            AtomicReference<Thread> failed = new AtomicReference<>();
            faulty.afterFinish = () -> {
                String worker = Thread.currentThread().getName();
                if (worker.equals("shootout-1")) {
                    failed.set(Thread.currentThread());
                    failing.countDown();
                    throw new IllegalStateException("injected failure of worker 1");
                }
                if (worker.equals("shootout-0")) {
                    try {
                        failing.await();
                        failed.get().join(); // worker 1 has handled its failure and ended: this one reaches the barrier
                        // after
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            ShootoutRun run = new ShootoutRun("temp:", faulty.storage, 10, 0, 2, 2, 10, ShootoutBench.Model.MANUAL);
            assertThatThrownBy(run::run).hasStackTraceContaining("injected failure of worker 1");
        }
    }

    @Test
    void coldClientsLeaveThePersistentCacheOut() {
        assertThat(ShootoutRun.withoutPersistentCache("cairn://h:1/main?cache=/tmp/c&cache-mb=8"))
                .isEqualTo("cairn://h:1/main?cache-mb=8");
        assertThat(ShootoutRun.withoutPersistentCache("cairn://h:1/main?cache=/tmp/c"))
                .isEqualTo("cairn://h:1/main");
        assertThat(ShootoutRun.withoutPersistentCache("cairn://h:1/main")).isEqualTo("cairn://h:1/main");
    }

    @Test
    void measuresTheCopyFloorInTheSameRunOnPostgres() {
        String uri = TestPostgres.get().freshUri(ShootoutBenchTest.class, "history=free");
        Map<String, String> r = run("--uri", uri, "--object-counts", "50", "--repeat", "2", "--warmup", "0");
        assertThat(Double.parseDouble(r.get("copy_floor"))).isPositive();
        assertThat(r).containsKey("copy_floor_sd");
        double ratio = Double.parseDouble(r.get("add")) / Double.parseDouble(r.get("copy_floor"));
        assertThat(Double.parseDouble(r.get("add_vs_copy")))
                .isCloseTo(ratio, org.assertj.core.data.Offset.offset(0.001));
    }

    /** Runs the bench as {@code bin/cairn bench shootout} would; returns its RESULT line's fields. */
    private static Map<String, String> run(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit = new CommandLine(new ShootoutBench()).execute(args);
        } finally {
            System.setOut(out);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        out.print(text);
        assertThat(exit).as(text).isZero();
        String[] lines = text.strip().split("\n");
        String last = lines[lines.length - 1];
        assertThat(last).startsWith("RESULT name=shootout ");
        Map<String, String> fields = new HashMap<>();
        for (String kv : last.substring("RESULT ".length()).split(" ")) {
            int eq = kv.indexOf('=');
            fields.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return fields;
    }
}
