package org.cairndb.bench.postgres;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.SplittableRandom;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.uri.Storages;

/**
 * One writer process of {@link PgWritersBench}: opens the storage, creates its own objects,
 * prints READY, waits for a line on stdin, then commits small transactions (one object of
 * ~100 bytes each) on its own objects for the given seconds and prints
 * {@code COUNT commits nanos}.
 */
public final class PgWriterProcess {
    private PgWriterProcess() {}

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        double seconds = Double.parseDouble(args[1]);
        int objects = Integer.parseInt(args[2]);
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
            new BufferedReader(new InputStreamReader(System.in)).readLine();
            SplittableRandom rnd = new SplittableRandom(oids[0]);
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long commits = 0;
            while (System.nanoTime() < end) {
                int i = rnd.nextInt(objects);
                StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
                t.store(oids[i], tids[i], record(commits));
                t.vote();
                tids[i] = t.finish();
                commits++;
            }
            System.out.println("COUNT " + commits + " " + (System.nanoTime() - start));
        } catch (Throwable e) {
            System.out.println("ERROR " + e);
            e.printStackTrace(System.out);
            System.exit(3);
        }
        System.exit(0);
    }

    static byte[] record(long n) {
        byte[] body = new byte[80];
        for (int i = 0; i < 8; i++) body[i] = (byte) (n >>> (8 * i));
        return new RecordHeader("org.cairndb.bench.Small", new long[0]).encode(body);
    }
}
