package org.cairndb.postgres.multiprocess;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.SplittableRandom;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;

/**
 * The bank of the multi-process tests: accounts are objects 1..n whose body is an 8-byte
 * balance (a class no resolver handles, so a concurrent update is a real conflict). A
 * transfer reads two accounts in a view and writes both; the sum of all balances never
 * changes, which every snapshot can check.
 */
public final class Bank {
    public static final String ACCOUNT = "org.cairndb.test.Account";

    private Bank() {}

    public static byte[] account(long balance) {
        return new RecordHeader(ACCOUNT, new long[0])
                .encode(ByteBuffer.allocate(8).putLong(balance).array());
    }

    public static long balance(byte[] record) {
        return ByteBuffer.wrap(RecordHeader.body(record)).getLong();
    }

    /** Creates accounts with oids {@code 1..n}, {@code initial} each, unless they exist. */
    public static void open(Storage s, int n, long initial) {
        StorageTransaction t = s.begin(TransactionMetadata.of("bank", "open accounts"));
        for (long oid = 1; oid <= n; oid++) t.store(oid, Tid.ZERO, account(initial));
        t.vote();
        t.finish();
    }

    /** The sum of all balances as the view sees them. */
    public static long sum(StorageView v, int n) {
        long sum = 0;
        for (long oid = 1; oid <= n; oid++) sum += balance(v.load(oid).data());
        return sum;
    }

    /** One committed transfer. */
    public record Transfer(long tid, long from, long to, long amount) {
        String line() {
            return "COMMIT " + tid + " " + from + " " + to + " " + amount;
        }

        static Transfer parse(String line) {
            String[] p = line.split(" ");
            return new Transfer(Long.parseLong(p[1]), Long.parseLong(p[2]), Long.parseLong(p[3]), Long.parseLong(p[4]));
        }
    }

    /**
     * Tries one random transfer on a synced view; returns it if committed, null on conflict.
     * Checks the invariant on the snapshot first.
     */
    public static Transfer transfer(Storage s, StorageView view, int n, long total, SplittableRandom rnd) {
        view.sync();
        long got = sum(view, n);
        if (got != total)
            throw new IllegalStateException(
                    "INVARIANT BROKEN: snapshot " + Tid.hex(view.tid()) + " sums to " + got + ", expected " + total);
        long from = 1 + rnd.nextInt(n);
        long to = 1 + rnd.nextInt(n - 1);
        if (to >= from) to++;
        long amount = 1 + rnd.nextInt(20);
        Loaded a = view.load(from);
        Loaded b = view.load(to);
        StorageTransaction t = s.begin(TransactionMetadata.of("bank", "transfer"));
        try {
            t.store(from, a.tid(), account(balance(a.data()) - amount));
            t.store(to, b.tid(), account(balance(b.data()) + amount));
            t.vote();
            return new Transfer(t.finish(), from, to, amount);
        } catch (ConflictException e) {
            t.abort();
            return null;
        } catch (RuntimeException e) {
            t.abort();
            throw e;
        }
    }

    /** Replays transfers (in the order given) on {@code initial} balances. */
    public static Map<Long, Long> replay(java.util.List<Transfer> inTidOrder, int n, long initial) {
        Map<Long, Long> b = new java.util.TreeMap<>();
        for (long oid = 1; oid <= n; oid++) b.put(oid, initial);
        for (Transfer t : inTidOrder) {
            b.merge(t.from(), -t.amount(), Long::sum);
            b.merge(t.to(), t.amount(), Long::sum);
        }
        return b;
    }
}
