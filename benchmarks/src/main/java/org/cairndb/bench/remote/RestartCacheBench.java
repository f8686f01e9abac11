package org.cairndb.bench.remote;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cairndb.remote.RemoteStorage;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn bench restart-cache}: what a persistent client cache saves after a restart.
 *
 * <p>Workload: a server on loopback over {@code --storage} (default mem:) holding
 * {@code --objects} (10,000) records of 200 bytes. A cold client (empty cache file) reads the
 * whole working set; it is closed (its process would end here) and a new client opens the
 * same cache file and reads the set again. Between the two, {@code --changed} objects are
 * changed by another client, so the warm client must revalidate, not trust blindly. Counted:
 * loads that reached the server.
 *
 * <p>Done means warm_loads under 1% of cold_loads (beyond the changed objects, which must be
 * loaded). With {@code --cache-entries} below {@code --objects} the file evicts (least recently used
 * first) and the warm client loads what no longer fits. Prints {@code RESULT name=restart-cache cold_loads=... warm_loads=...}.
 */
@Command(
        name = "restart-cache",
        mixinStandardHelpOptions = true,
        description = "Server loads after a client restart with a warm persistent cache.")
public final class RestartCacheBench implements Callable<Integer> {
    @Option(names = "--storage", defaultValue = "mem:")
    String storageUri;

    @Option(names = "--objects", defaultValue = "10000")
    int objects;

    @Option(
            names = "--changed",
            defaultValue = "10",
            description = "Objects changed by another client while the cached client is down")
    int changed;

    @Option(
            names = "--cache-entries",
            defaultValue = "0",
            description = "Records the cache file holds (default 2 x objects); below --objects the cache evicts")
    int cacheEntries;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("cairn-restart-cache");
        Path cache = dir.resolve("client.cache");
        byte[] data = RttBench.record(200);
        try (CairnServer server = CairnServer.start(new ServerConfig().port(0).storage("main", storageUri))) {
            String uri = "cairn://127.0.0.1:" + server.port() + "/main";
            String cached = uri + "?cache=" + cache + "&cache-entries="
                    + (cacheEntries > 0 ? cacheEntries : objects * 2) + "&cache-record-bytes=256";
            long[] oids;
            long[] tids = new long[objects];
            try (RemoteStorage s = RemoteStorage.open(uri)) {
                oids = s.newOids(objects);
                for (int from = 0; from < objects; from += 1000) {
                    StorageTransaction t = s.begin(TransactionMetadata.of("bench", "fill"));
                    for (int i = from; i < Math.min(objects, from + 1000); i++) t.store(oids[i], Tid.ZERO, data);
                    t.vote();
                    long tid = t.finish();
                    for (int i = from; i < Math.min(objects, from + 1000); i++) tids[i] = tid;
                }
            }
            long cold;
            long t0 = System.nanoTime();
            try (RemoteStorage s = RemoteStorage.open(cached)) {
                for (long o : oids) s.load(o);
                cold = s.cacheMisses();
            }
            long coldNs = System.nanoTime() - t0;
            try (RemoteStorage other = RemoteStorage.open(uri)) {
                StorageTransaction t = other.begin(TransactionMetadata.of("bench", "change a few"));
                for (int i = 0; i < changed; i++)
                    t.store(
                            oids[i * (objects / Math.max(1, changed))],
                            tids[i * (objects / Math.max(1, changed))],
                            data);
                t.vote();
                t.finish();
            }
            long warm;
            long t1 = System.nanoTime();
            try (RemoteStorage s = RemoteStorage.open(cached)) {
                for (long o : oids) s.load(o);
                warm = s.cacheMisses();
            }
            long warmNs = System.nanoTime() - t1;
            System.out.printf(
                    java.util.Locale.ROOT,
                    "cold client: %d server loads, %.1f ms; warm client after restart (%d objects changed meanwhile): %d server loads, %.1f ms%n",
                    cold,
                    coldNs / 1e6,
                    changed,
                    warm,
                    warmNs / 1e6);
            System.out.printf(java.util.Locale.ROOT, "warm/cold = %.2f%%%n", 100.0 * warm / Math.max(1, cold));
            System.out.println("RESULT name=restart-cache cold_loads=" + cold + " warm_loads=" + warm);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }
}
