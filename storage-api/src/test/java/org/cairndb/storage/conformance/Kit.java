package org.cairndb.storage.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;

/** Short forms for the steps contract tests repeat. */
public final class Kit {
    private Kit() {}

    /** Commits one store and returns the commit tid. */
    public static long commit(Storage s, long oid, long readTid, byte[] data) {
        StorageTransaction t = s.begin(TransactionMetadata.of("kit", "store " + oid));
        t.store(oid, readTid, data);
        t.vote();
        return t.finish();
    }

    /** Commits a new object under a fresh oid; returns {oid, tid}. */
    public static long[] commitNew(Storage s, byte[] data) {
        long oid = s.newOids(1)[0];
        return new long[] {oid, commit(s, oid, Tid.ZERO, data)};
    }

    /** Commits a store of the object on top of its current revision; returns the tid. */
    public static long update(Storage s, long oid, byte[] data) {
        return commit(s, oid, currentTid(s, oid), data);
    }

    /** The current tid of oid, or ZERO if it has no revision (never stored or deleted). */
    public static long currentTid(Storage s, long oid) {
        try {
            List<org.cairndb.storage.HistoryEntry> h = s.history(oid, 1);
            return h.isEmpty() ? Tid.ZERO : h.get(0).tid();
        } catch (org.cairndb.storage.PosKeyException e) {
            return Tid.ZERO;
        }
    }

    /** The tid of the current revision as load sees it, or ZERO when load says PosKey. */
    public static long loadedTid(Storage s, long oid) {
        try {
            return s.load(oid).tid();
        } catch (org.cairndb.storage.PosKeyException e) {
            return Tid.ZERO;
        }
    }

    /** Commits several stores (oid → data, each on top of its current revision) in one transaction. */
    public static long commitAll(Storage s, Map<Long, byte[]> writes) {
        StorageTransaction t = s.begin(TransactionMetadata.of("kit", "store " + writes.size()));
        writes.forEach((oid, data) -> t.store(oid, currentTid(s, oid), data));
        t.vote();
        return t.finish();
    }

    /** Commits a deletion of oid on top of its current revision. */
    public static long delete(Storage s, long oid) {
        StorageTransaction t = s.begin(TransactionMetadata.of("kit", "delete " + oid));
        t.delete(oid, currentTid(s, oid));
        t.vote();
        return t.finish();
    }

    /** Every committed transaction, in iteration order. */
    public static List<TransactionRecord> transactions(Storage s) {
        return transactions(s, Tid.ZERO, Tid.MAX);
    }

    public static List<TransactionRecord> transactions(Storage s, long from, long to) {
        List<TransactionRecord> all = new ArrayList<>();
        try (CloseableIterator<TransactionRecord> it = s.iterator(from, to)) {
            it.forEachRemaining(all::add);
        }
        return all;
    }

    /**
     * Runs {@code stores} then votes, expecting a failure: conflicts may be found at store
     * time or at vote ("at vote at the latest"). Returns what was thrown; fails if nothing was.
     */
    public static Throwable storeAndVoteFailure(StorageTransaction t, Runnable stores) {
        try {
            stores.run();
            t.vote();
        } catch (RuntimeException e) {
            return e;
        }
        t.abort();
        throw new AssertionError("expected the transaction to fail at store or vote, but vote succeeded");
    }
}
