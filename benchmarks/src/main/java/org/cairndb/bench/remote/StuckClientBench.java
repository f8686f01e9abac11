package org.cairndb.bench.remote;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.protocol.Protocol;
import org.cairndb.remote.RemoteStorage;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn bench stuck-client}: what one client that stops reading does to everybody
 * else's commits.
 *
 * <p>Workload: a server on loopback (default limits) over {@code --storage}; {@code --committers}
 * cairn:// clients each commit one small object after another (begin, store, vote, finish), one
 * timed commit at a time, for {@code --seconds} per phase:
 * <ol>
 * <li>baseline: nobody else connected;</li>
 * <li>stuck: a raw socket said HELLO, asked for {@code --stuck-loads} loads of a
 *     {@code --object-mb} object, and reads nothing (what a SIGSTOPped or hung client does): its
 *     queue sits above the high water mark, below the byte bound, until the write-stall timeout
 *     drops it, and every commit pushes an INVALIDATE to it meanwhile;</li>
 * <li>flood: the reproduction, 60 loads of the object never read: over the byte bound,
 *     dropped at once.</li>
 * </ol>
 * Prints {@code RESULT name=stuck-client baseline_p50_us=... baseline_p99_us=... stuck_p50_us=...
 * stuck_p99_us=... flood_p50_us=... flood_p99_us=... commits=... failed=... dropped=...}; a failed commit (e.g. its
 * request timed out) is timed until it failed and counted in {@code failed}.
 */
@Command(
        name = "stuck-client",
        mixinStandardHelpOptions = true,
        description = "Commit latency of other clients with and without a client that never reads.")
public final class StuckClientBench implements Callable<Integer> {
    @Option(names = "--storage", defaultValue = "temp:", description = "Backing storage URI (default temp:)")
    String storageUri;

    @Option(names = "--committers", defaultValue = "2")
    int committers;

    @Option(names = "--seconds", defaultValue = "5", description = "Seconds of commits per phase")
    int seconds;

    @Option(names = "--object-mb", defaultValue = "4")
    int objectMb;

    @Option(
            names = "--stuck-loads",
            defaultValue = "3",
            description = "Loads the stuck client asks for (queue = loads x object)")
    int stuckLoads;

    private static final java.util.concurrent.atomic.AtomicInteger FAILED =
            new java.util.concurrent.atomic.AtomicInteger();

    @Option(names = "--request-timeout", defaultValue = "300", description = "The committers' request timeout, seconds")
    int requestTimeout;

    @Override
    public Integer call() throws Exception {
        System.out.println("stuck-client: server over " + storageUri + ", " + committers + " committers, " + seconds
                + " s per phase, object " + objectMb + " MiB; java " + System.getProperty("java.version") + ", "
                + Runtime.getRuntime().availableProcessors() + " cpus");
        try (CairnServer server = CairnServer.start(new ServerConfig().port(0).storage("main", storageUri))) {
            String uri = "cairn://127.0.0.1:" + server.port() + "/main?cache-mb=0&request-timeout=" + requestTimeout;
            long big;
            try (RemoteStorage s = RemoteStorage.open(uri)) {
                big = s.newOids(1)[0];
                StorageTransaction t = s.begin(TransactionMetadata.of("bench", "big"));
                t.store(big, Tid.ZERO, RttBench.record(objectMb << 20));
                t.vote();
                t.finish();
            }
            List<RemoteStorage> clients = new ArrayList<>();
            try {
                for (int i = 0; i < committers; i++) clients.add(RemoteStorage.open(uri));
                phase("warm-up", clients, seconds);
                Percentiles base = phase("baseline", clients, seconds);
                Percentiles stuck;
                try (Socket s = stuckClient(server.port(), big, stuckLoads)) {
                    stuck = phase("stuck", clients, seconds);
                }
                Percentiles flood;
                try (Socket s = stuckClient(server.port(), big, 60)) {
                    flood = phase("flood", clients, seconds);
                }
                String dropped = org.cairndb.server.cli.StatusCommand.fetch("127.0.0.1", server.port(), null, true)
                        .lines()
                        .filter(l -> l.startsWith("cairn_slow_clients_dropped_total "))
                        .map(l -> l.substring(l.indexOf(' ') + 1))
                        .findFirst()
                        .orElse("?");
                System.out.println("RESULT name=stuck-client baseline_p50_us=" + Percentiles.fmt(base.us(0.5))
                        + " baseline_p99_us="
                        + Percentiles.fmt(base.us(0.99)) + " stuck_p50_us=" + Percentiles.fmt(stuck.us(0.5))
                        + " stuck_p99_us="
                        + Percentiles.fmt(stuck.us(0.99)) + " flood_p50_us=" + Percentiles.fmt(flood.us(0.5))
                        + " flood_p99_us="
                        + Percentiles.fmt(flood.us(0.99)) + " commits=" + (base.count() + stuck.count() + flood.count())
                        + " failed=" + FAILED.get() + " dropped=" + dropped);
            } finally {
                for (RemoteStorage c : clients) c.close();
            }
        }
        return 0;
    }

    /** HELLO, then {@code loads} loads of {@code oid}; the returned socket is never read. */
    private static Socket stuckClient(int port, long oid, int loads) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        OutputStream out = s.getOutputStream();
        out.write(bytes(new PayloadWriter()
                .i32(Protocol.MAGIC)
                .i32(Protocol.VERSION)
                .str("main")
                .str("")
                .bool(false)
                .i64(0)
                .frame(1, Op.HELLO)));
        for (int i = 0; i < loads; i++)
            out.write(bytes(new PayloadWriter().i64(oid).frame(2 + i, Op.LOAD)));
        out.flush();
        return s;
    }

    private static byte[] bytes(Frame f) {
        return ByteBuffer.allocate(9 + f.payload().length)
                .putInt(5 + f.payload().length)
                .putInt(f.requestId())
                .put(f.op().code)
                .put(f.payload())
                .array();
    }

    /** Every committer commits one fresh-ish object after another for {@code seconds}; each commit timed. */
    private static Percentiles phase(String name, List<RemoteStorage> clients, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<long[]> samples = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (RemoteStorage c : clients) {
            long[] ns = new long[2_000_000];
            int[] n = {0};
            samples.add(ns);
            counts.add(n);
            Thread t = new Thread(
                    () -> {
                        long oid = c.newOids(1)[0];
                        long tid = Tid.ZERO;
                        while (System.nanoTime() < end && n[0] < ns.length) {
                            long t0 = System.nanoTime();
                            try {
                                StorageTransaction txn = c.begin(TransactionMetadata.of("bench", name));
                                txn.store(oid, tid, RttBench.record(100));
                                txn.vote();
                                tid = txn.finish();
                            } catch (RuntimeException e) {
                                // e.g. the request timeout of a commit that waited on the stuck client: counted, timed,
                                // and the
                                // committer goes on from the object's current revision
                                FAILED.incrementAndGet();
                                tid = c.load(oid).tid();
                            }
                            ns[n[0]++] = System.nanoTime() - t0;
                        }
                    },
                    "committer-" + threads.size());
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        int total = counts.stream().mapToInt(a -> a[0]).sum();
        long[] all = new long[total];
        int at = 0;
        for (int i = 0; i < samples.size(); i++) {
            System.arraycopy(samples.get(i), 0, all, at, counts.get(i)[0]);
            at += counts.get(i)[0];
        }
        Percentiles p = new Percentiles(all, total);
        System.out.println(name + ": " + total + " commits, p50 " + Percentiles.fmt(p.us(0.5)) + " us, p99 "
                + Percentiles.fmt(p.us(0.99)) + " us, max " + Percentiles.fmt(p.us(1.0)) + " us");
        return p;
    }
}
