package org.cairndb.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cairndb.storage.Capability;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.Oid;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionRecord;

/**
 * The storage's own record of a run, replayed: the transactions its iterator returns from
 * the run's set-up commit on, applied one after another in tid order, must give exactly the
 * records it loads now, and a storage that keeps history must list exactly the commits the
 * run saw, in their order. (A storage without history lists only current revisions, under
 * the transactions that wrote them; the replay holds for it too.)
 */
final class LogReplay {
    private LogReplay() {}

    /** Null when the log replays to the stored records, else what is wrong. */
    static String check(Storage storage, long fromTid, long toTid, long oid, List<Long> committedTids) {
        Map<Long, byte[]> replayed = new LinkedHashMap<>();
        List<Long> logged = new ArrayList<>();
        long previous = Tid.ZERO;
        try (CloseableIterator<TransactionRecord> it = storage.iterator(fromTid, toTid)) {
            while (it.hasNext()) {
                TransactionRecord txn = it.next();
                if (Long.compareUnsigned(txn.tid(), previous) <= 0) {
                    return "the storage's iterator returned tid " + Tid.hex(txn.tid()) + " after " + Tid.hex(previous)
                            + " (expected increasing tids)";
                }
                previous = txn.tid();
                logged.add(txn.tid());
                for (Revision r : txn.revisions()) {
                    if (r.hasData()) replayed.put(r.oid(), r.data());
                    else replayed.remove(r.oid());
                }
            }
        }
        if (storage.supports(Capability.HISTORY) && !logged.equals(committedTids)) {
            return "the storage keeps history but its iterator lists transactions " + hexes(logged)
                    + " where the run committed " + hexes(committedTids);
        }
        if (!replayed.containsKey(oid)) {
            return "the storage's iterator from tid " + Tid.hex(fromTid) + " has no revision of " + Oid.describe(oid)
                    + ", which the run created";
        }
        for (Map.Entry<Long, byte[]> e : replayed.entrySet()) {
            byte[] current = storage.load(e.getKey()).data();
            if (!Arrays.equals(current, e.getValue())) {
                return "replaying the storage's transactions in tid order gives a record of " + e.getValue().length
                        + " bytes for " + Oid.describe(e.getKey()) + " but the storage loads " + current.length
                        + " different bytes";
            }
        }
        return null;
    }

    private static String hexes(List<Long> tids) {
        List<String> out = new ArrayList<>();
        for (long t : tids) out.add(Tid.hex(t));
        return out.toString();
    }
}
