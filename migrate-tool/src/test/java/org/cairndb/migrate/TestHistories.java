package org.cairndb.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;

/** Generated transaction histories for tests: data, deletions, backpointers, metadata. */
public final class TestHistories {
    private TestHistories() {}

    public static List<TransactionRecord> random(long seed, int count, int maxRecords) {
        Random rnd = new Random(seed);
        List<TransactionRecord> out = new ArrayList<>();
        long tid = Tid.of(java.time.Instant.parse("2026-01-01T00:00:00Z"));
        List<long[]> written = new ArrayList<>(); // {oid, tid}
        long nextOid = 0;
        for (int i = 0; i < count; i++) {
            tid += 1 + rnd.nextInt(1_000_000);
            List<Revision> revs = new ArrayList<>();
            int n = 1 + rnd.nextInt(maxRecords);
            java.util.Set<Long> used = new java.util.HashSet<>();
            for (int k = 0; k < n; k++) {
                long oid = written.isEmpty() || rnd.nextInt(3) == 0
                        ? nextOid++
                        : written.get(rnd.nextInt(written.size()))[0];
                if (!used.add(oid)) continue;
                int kind = rnd.nextInt(20);
                if (kind == 0) {
                    revs.add(new Revision(oid, tid, null, Tid.ZERO));
                } else if (kind == 1 && !written.isEmpty()) {
                    long[] w = null;
                    for (int tries = 0; tries < 5 && (w == null || w[0] != oid); tries++)
                        w = written.get(rnd.nextInt(written.size()));
                    if (w[0] == oid) {
                        byte[] data = dataOf(out, w[0], w[1]);
                        revs.add(new Revision(oid, tid, data, w[1]));
                    } else {
                        revs.add(Revision.of(oid, tid, bytes(rnd)));
                    }
                } else {
                    revs.add(Revision.of(oid, tid, bytes(rnd)));
                }
            }
            for (Revision r : revs) written.add(new long[] {r.oid(), tid});
            byte[] ext = rnd.nextBoolean() ? new byte[0] : bytes(rnd);
            out.add(new TransactionRecord(
                    tid,
                    rnd.nextInt(10) == 0,
                    new TransactionMetadata(rnd.nextBoolean() ? "" : "/ user" + i, "txn " + i + " ünïcødé", ext),
                    revs));
        }
        return out;
    }

    private static byte[] dataOf(List<TransactionRecord> txns, long oid, long tid) {
        for (TransactionRecord t : txns) {
            if (t.tid() != tid) continue;
            for (Revision r : t.revisions()) if (r.oid() == oid) return r.data();
        }
        return null;
    }

    private static byte[] bytes(Random rnd) {
        byte[] b = new byte[rnd.nextInt(300)];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (rnd.nextInt(4) == 0 ? rnd.nextInt() : 'a' + i % 7);
        return b;
    }
}
