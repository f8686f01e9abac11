package org.cairndb.bench.remote;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.Callable;
import org.cairndb.remote.RemoteStorage;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn bench rtt}: the round trip of one small load over cairn:// against the floor
 * of this machine, in one run.
 *
 * <p>Workload: a server on loopback over {@code --storage} (default mem:), one client with
 * its record cache off, one object of {@code --size} bytes; {@code --loads} sequential loads
 * (after {@code --warmup}), each timed. The floor: a plain blocking java.net.Socket ping-pong
 * of exactly the bytes of a LOAD request and its answer, with a thread blocked in read on
 * each side. Floor and loads alternate in {@code --rounds} rounds (this machine's floor moves
 * between about 14 and 33 µs with its state; measured apart, the ratio moved with it). Then {@code --commits} one-object two-phase commits (begin, store, vote, finish).
 *
 * <p>Prints {@code RESULT name=rtt load_p50_us=... load_p99_us=... floor_p50_us=... ratio=...
 * commit_p50_us=... commit_p99_us=...} with ratio = load p50 / floor p50.
 */
@Command(
        name = "rtt",
        mixinStandardHelpOptions = true,
        description = "Round trip of small loads and commits over cairn:// against a blocking-socket floor.")
public final class RttBench implements Callable<Integer> {
    @Option(
            names = "--storage",
            defaultValue = "mem:",
            description = "Backing storage URI the server serves (default mem:)")
    String storageUri;

    @Option(names = "--loads", defaultValue = "20000")
    int loads;

    @Option(
            names = "--warmup",
            defaultValue = "50000",
            description = "Loads (and floor round trips) before measuring: the JIT must be done compiling both paths")
    int warmup;

    @Option(names = "--commits", defaultValue = "3000")
    int commits;

    @Option(names = "--size", defaultValue = "100", description = "Record bytes")
    int size;

    @Option(names = "--rounds", defaultValue = "20", description = "Rounds in which floor and loads alternate")
    int rounds;

    @Override
    public Integer call() throws Exception {
        System.out.println("rtt: server over " + storageUri + ", record " + size + " B, " + loads + " loads after "
                + warmup + " warm-up, in "
                + rounds + " rounds alternating with the floor; " + commits + " commits; java "
                + System.getProperty("java.version") + ", "
                + Runtime.getRuntime().availableProcessors() + " cpus");
        byte[] data = record(size);
        int requestBytes = 17;
        int replyBytes = 9 + 28 + data.length;
        try (Floor floor = new Floor(requestBytes, replyBytes);
                CairnServer server =
                        CairnServer.start(new ServerConfig().port(0).storage("main", storageUri));
                RemoteStorage s = RemoteStorage.open("cairn://127.0.0.1:" + server.port() + "/main?cache-mb=0")) {
            long oid = s.newOids(1)[0];
            StorageTransaction t = s.begin(TransactionMetadata.of("bench", "rtt"));
            t.store(oid, Tid.ZERO, data);
            t.vote();
            long tid = t.finish();
            for (int i = 0; i < warmup; i++) {
                floor.ping();
                s.load(oid);
            }
            // the two alternate in rounds: a change of the machine's state during the run (other
            // load, frequency, idle states) moves both, and their ratio stays meaningful
            long[] fs = new long[loads];
            long[] ns = new long[loads];
            int perRound = Math.max(1, loads / Math.max(1, rounds));
            // CPU time of this process (client, server and echo thread all live here) per round trip
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long floorCpu = 0;
            long loadCpu = 0;
            for (int done = 0; done < loads; ) {
                int end = Math.min(loads, done + perRound);
                long c0 = os.getProcessCpuTime();
                for (int i = done; i < end; i++) fs[i] = floor.ping();
                long c1 = os.getProcessCpuTime();
                for (int i = done; i < end; i++) {
                    long t0 = System.nanoTime();
                    s.load(oid);
                    ns[i] = System.nanoTime() - t0;
                }
                loadCpu += os.getProcessCpuTime() - c1;
                floorCpu += c1 - c0;
                done = end;
            }
            Percentiles fp = new Percentiles(fs, loads);
            Percentiles lp = new Percentiles(ns, loads);
            System.out.println("floor (blocking socket ping-pong, " + requestBytes + " B / " + replyBytes + " B): p50 "
                    + Percentiles.fmt(fp.us(0.5)) + " us, p99 " + Percentiles.fmt(fp.us(0.99)) + " us, cpu "
                    + Percentiles.fmt(floorCpu / 1e3 / loads) + " us per round trip");
            System.out.println("load (cache off): p50 " + Percentiles.fmt(lp.us(0.5)) + " us, p99 "
                    + Percentiles.fmt(lp.us(0.99)) + " us, p999 " + Percentiles.fmt(lp.us(0.999)) + " us, cpu "
                    + Percentiles.fmt(loadCpu / 1e3 / loads) + " us per load (client and server)");
            long[] cs = new long[commits];
            long serial = tid;
            for (int i = 0; i < commits + commits / 5; i++) {
                long t0 = System.nanoTime();
                StorageTransaction c = s.begin(TransactionMetadata.EMPTY);
                c.store(oid, serial, data);
                c.vote();
                serial = c.finish();
                long d = System.nanoTime() - t0;
                if (i >= commits / 5) cs[i - commits / 5] = d;
            }
            Percentiles cp = new Percentiles(cs, commits);
            System.out.println("commit (one object, full 2PC): p50 " + Percentiles.fmt(cp.us(0.5)) + " us, p99 "
                    + Percentiles.fmt(cp.us(0.99)) + " us");
            double ratio = lp.us(0.5) / fp.us(0.5);
            System.out.println("RESULT name=rtt load_p50_us=" + Percentiles.fmt(lp.us(0.5)) + " load_p99_us="
                    + Percentiles.fmt(lp.us(0.99))
                    + " floor_p50_us=" + Percentiles.fmt(fp.us(0.5)) + " ratio="
                    + String.format(java.util.Locale.ROOT, "%.2f", ratio)
                    + " commit_p50_us=" + Percentiles.fmt(cp.us(0.5)) + " commit_p99_us="
                    + Percentiles.fmt(cp.us(0.99)));
        }
        return 0;
    }

    /** A Cairn record of about {@code size} bytes: header naming a class, then filler. */
    static byte[] record(int size) {
        byte[] head = new RecordHeader("bench.Small", new long[0]).encode(new byte[0]);
        return new RecordHeader("bench.Small", new long[0]).encode(new byte[Math.max(0, size - head.length)]);
    }

    /** The floor: a blocking java.net.Socket ping-pong of a LOAD's bytes, a thread blocked in read on each side. */
    private static final class Floor implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final Socket socket;
        private final DataOutputStream out;
        private final DataInputStream in;
        private final byte[] req;
        private final byte[] rep;

        Floor(int requestBytes, int replyBytes) throws IOException {
            req = new byte[requestBytes];
            rep = new byte[replyBytes];
            Thread echo = new Thread(
                    () -> {
                        try (Socket c = listener.accept()) {
                            c.setTcpNoDelay(true);
                            DataInputStream din = new DataInputStream(c.getInputStream());
                            OutputStream o = c.getOutputStream();
                            byte[] r = new byte[requestBytes];
                            byte[] a = new byte[replyBytes];
                            while (true) {
                                din.readFully(r);
                                o.write(a);
                                o.flush();
                            }
                        } catch (IOException done) {
                            // the bench closed the socket
                        }
                    },
                    "floor-echo");
            echo.setDaemon(true);
            echo.start();
            socket = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
            socket.setTcpNoDelay(true);
            out = new DataOutputStream(socket.getOutputStream());
            in = new DataInputStream(socket.getInputStream());
        }

        /** One round trip, in nanoseconds. */
        long ping() throws IOException {
            long t0 = System.nanoTime();
            out.write(req);
            out.flush();
            in.readFully(rep);
            return System.nanoTime() - t0;
        }

        @Override
        public void close() throws IOException {
            socket.close();
            listener.close();
        }
    }
}
