package org.cairndb.bench.remote;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.LongAdder;
import org.cairndb.remote.RemoteStorage;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn bench remote-throughput}: how much one server does.
 *
 * <p>Workload: a server on loopback over {@code --storage} (default mem:). (1) Pipelined
 * loads: one client connection (cache off), {@code --pipeline} threads loading 1,000 small
 * objects in turn, so that many requests are in flight on the one connection; loads per
 * second over {@code --seconds}. (2) Commits: 1, 4 and 16 clients, each its own connection
 * and thread, each committing one small object of its own in a loop (full two-phase commit);
 * commits per second.
 *
 * <p>Prints {@code RESULT name=remote-throughput pipelined_loads_per_s=... commits_per_s_1=...
 * commits_per_s_4=... commits_per_s_16=...}.
 */
@Command(
        name = "remote-throughput",
        mixinStandardHelpOptions = true,
        description = "Pipelined loads and concurrent commits per second over cairn://.")
public final class RemoteThroughputBench implements Callable<Integer> {
    @Option(names = "--storage", defaultValue = "mem:")
    String storageUri;

    @Option(names = "--seconds", defaultValue = "3")
    double seconds;

    @Option(names = "--pipeline", defaultValue = "16", description = "Threads loading through one connection")
    int pipeline;

    @Override
    public Integer call() throws Exception {
        byte[] data = RttBench.record(100);
        try (CairnServer server = CairnServer.start(new ServerConfig().port(0).storage("main", storageUri))) {
            String uri = "cairn://127.0.0.1:" + server.port() + "/main";
            long[] oids;
            try (RemoteStorage s = RemoteStorage.open(uri)) {
                oids = s.newOids(1000);
                StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
                for (long o : oids) t.store(o, Tid.ZERO, data);
                t.vote();
                t.finish();
            }
            double loads;
            try (RemoteStorage s = RemoteStorage.open(uri + "?cache-mb=0")) {
                loads = run(pipeline, i -> {
                    long[] n = {i};
                    return () -> s.load(oids[(int) (n[0]++ % oids.length)]);
                });
            }
            System.out.printf(
                    java.util.Locale.ROOT, "pipelined loads, %d threads on one connection: %.0f/s%n", pipeline, loads);
            double[] commits = new double[3];
            int[] clients = {1, 4, 16};
            for (int k = 0; k < 3; k++) {
                List<RemoteStorage> conns = new ArrayList<>();
                for (int c = 0; c < clients[k]; c++) conns.add(RemoteStorage.open(uri));
                try {
                    commits[k] = run(clients[k], i -> {
                        RemoteStorage s = conns.get(i);
                        long oid = s.newOids(1)[0];
                        long[] serial = {Tid.ZERO};
                        return () -> {
                            StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
                            t.store(oid, serial[0], data);
                            t.vote();
                            serial[0] = t.finish();
                        };
                    });
                } finally {
                    for (RemoteStorage s : conns) s.close();
                }
                System.out.printf(java.util.Locale.ROOT, "commits, %d clients: %.0f/s%n", clients[k], commits[k]);
            }
            System.out.printf(
                    java.util.Locale.ROOT,
                    "RESULT name=remote-throughput pipelined_loads_per_s=%.0f commits_per_s_1=%.0f commits_per_s_4=%.0f commits_per_s_16=%.0f%n",
                    loads,
                    commits[0],
                    commits[1],
                    commits[2]);
        }
        return 0;
    }

    interface Work {
        Runnable forThread(int i);
    }

    /**
     * Runs one op per thread in a loop for a warm-up second and then {@link #seconds}; returns
     * ops/s. Each worker reads the clock after every op and stops at the end of the window by
     * itself, so nothing here sleeps: the main thread just joins the workers.
     */
    private double run(int threads, Work work) throws Exception {
        LongAdder ops = new LongAdder();
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        long[] window = new long[2]; // measure from, until (nanoTime), set before the barrier opens
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Runnable op = work.forThread(i);
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    return;
                }
                long from = window[0];
                long until = window[1];
                for (long now = System.nanoTime(); now < until; now = System.nanoTime()) {
                    op.run();
                    if (now >= from) ops.increment();
                }
            });
            t.start();
            ts.add(t);
        }
        long t0 = System.nanoTime() + 1_000_000_000L; // after a warm-up second
        window[0] = t0;
        window[1] = t0 + (long) (seconds * 1e9);
        start.await(); // the barrier publishes window[] to the workers
        for (Thread t : ts) t.join();
        long elapsed = window[1] - window[0];
        return ops.sum() / (elapsed / 1e9);
    }
}
