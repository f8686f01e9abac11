package org.cairndb.postgres.multiprocess;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.util.SplittableRandom;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.uri.Storages;

/**
 * A writer in a JVM of its own, for the multi-process and crash tests. It gets the
 * {@code postgres://} URI of the test's database as its first argument and talks to the test
 * through stdout lines (and stdin for "GO"):
 * <ul>
 * <li>{@code bank URI accounts initial transfers seed}: that many committed transfers; prints
 *     one {@code COMMIT tid from to amount} line each (after finish returned), then DONE.</li>
 * <li>{@code loop URI accounts initial seed}: transfers until killed.</li>
 * <li>{@code hold URI oid readTid}: stores the oid, prints VOTING, votes, prints VOTED (its row
 *     lock is held now), waits for a line on stdin, finishes; prints FINISHED tid or CONFLICT.</li>
 * </ul>
 */
public final class WriterProcess {
    private WriterProcess() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true);
        String mode = args[0];
        try (Storage s = Storages.open(args[1])) {
            switch (mode) {
                case "bank" -> {
                    int n = Integer.parseInt(args[2]);
                    long total = n * Long.parseLong(args[3]);
                    int transfers = Integer.parseInt(args[4]);
                    SplittableRandom rnd = new SplittableRandom(Long.parseLong(args[5]));
                    try (StorageView v = s.openView()) {
                        for (int done = 0; done < transfers; ) {
                            Bank.Transfer t = Bank.transfer(s, v, n, total, rnd);
                            if (t != null) {
                                out.println(t.line());
                                done++;
                            }
                        }
                    }
                    out.println("DONE");
                }
                case "loop" -> {
                    int n = Integer.parseInt(args[2]);
                    long total = n * Long.parseLong(args[3]);
                    SplittableRandom rnd = new SplittableRandom(Long.parseLong(args[4]));
                    try (StorageView v = s.openView()) {
                        while (true) {
                            Bank.Transfer t = Bank.transfer(s, v, n, total, rnd);
                            if (t != null) out.println(t.line());
                        }
                    }
                }
                case "hold" -> {
                    long oid = Long.parseLong(args[2]);
                    long readTid = Long.parseLong(args[3]);
                    StorageTransaction t = s.begin(TransactionMetadata.of("hold", "holds its lock"));
                    t.store(oid, readTid, Bank.account(oid * 1000));
                    out.println("VOTING");
                    try {
                        t.vote();
                    } catch (ConflictException e) {
                        out.println("CONFLICT");
                        return;
                    }
                    out.println("VOTED");
                    new BufferedReader(new InputStreamReader(System.in)).readLine();
                    out.println("FINISHED " + t.finish());
                }
                default -> throw new IllegalArgumentException("unknown mode " + mode);
            }
        } catch (Throwable e) {
            out.println("ERROR " + e);
            e.printStackTrace(out);
            System.exit(3);
        }
        System.exit(0);
    }
}
