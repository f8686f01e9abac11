package org.cairndb.bench.postgres;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.SplittableRandom;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.uri.Storages;

/**
 * One writer process of {@link PgWritersBench}: opens the storage, creates its own objects,
 * prints READY, and waits for {@code GO <startMicros> <endMicros>} on stdin (microseconds of
 * the wall clock, which every process of the machine shares). It commits small transactions
 * (one object of ~100 bytes each) on its own objects from GO until the end: the commits
 * before the start are the warm-up (JIT, pools, caches) and are not counted, so every writer
 * of a run is counted over the same window, all of them already running. It then prints
 * IN when it enters the window, then {@code COUNT commits retries conflicts cpuNanos}: commits finished inside the window,
 * retryable errors and conflicts met inside it (each costs a lost commit), and this JVM's
 * CPU time over the window; it closes the storage when told (a line on stdin), so that its
 * PostgreSQL backends live until their CPU time has been read.
 */
public final class PgWriterProcess {
    private PgWriterProcess() {}

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        int objects = Integer.parseInt(args[1]);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (Storage s = Storages.open(uri)) {
            long[] oids = s.newOids(objects);
            long[] tids = new long[objects];
            StorageTransaction init = s.begin(TransactionMetadata.of("bench", "init"));
            for (long oid : oids) init.store(oid, Tid.ZERO, record(0));
            init.vote();
            long t0 = init.finish();
            java.util.Arrays.fill(tids, t0);
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            String[] go = in.readLine().split(" ");
            long start = Long.parseLong(go[1]);
            long end = Long.parseLong(go[2]);
            SplittableRandom rnd = new SplittableRandom(oids[0]);
            long commits = 0;
            long retries = 0;
            long conflicts = 0;
            long cpuAtStart = -1;
            long n = 0;
            for (long now = micros(); now < end; now = micros()) {
                if (cpuAtStart < 0 && now >= start) {
                    cpuAtStart = os.getProcessCpuTime();
                    System.out.println("IN");
                    System.out.flush();
                }
                int i = rnd.nextInt(objects);
                try {
                    StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
                    t.store(oids[i], tids[i], record(n++));
                    t.vote();
                    tids[i] = t.finish();
                    long done = micros();
                    if (done >= start && done < end) commits++;
                } catch (ConflictException e) {
                    if (now >= start) conflicts++;
                    tids[i] = s.load(oids[i]).tid();
                } catch (RetryableException e) {
                    if (now >= start) retries++;
                }
            }
            long cpu = os.getProcessCpuTime() - Math.max(0, cpuAtStart);
            System.out.println("COUNT " + commits + " " + retries + " " + conflicts + " " + cpu);
            System.out.flush();
            in.readLine(); // keep the connections (and their PostgreSQL backends, whose CPU is read) until told
        } catch (Throwable e) {
            System.out.println("ERROR " + e);
            e.printStackTrace(System.out);
            System.exit(3);
        }
        System.exit(0);
    }

    /** Microseconds since the epoch from the wall clock (shared by all processes of a machine). */
    static long micros() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
    }

    static byte[] record(long n) {
        byte[] body = new byte[80];
        for (int i = 0; i < 8; i++) body[i] = (byte) (n >>> (8 * i));
        return new RecordHeader("org.cairndb.bench.Small", new long[0]).encode(body);
    }
}
