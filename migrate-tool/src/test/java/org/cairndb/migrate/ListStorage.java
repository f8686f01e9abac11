package org.cairndb.migrate;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cairndb.storage.BulkRestore;
import org.cairndb.storage.Capability;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.HistoryEntry;
import org.cairndb.storage.Invalidations;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.PackProgress;
import org.cairndb.storage.PackResult;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageMisuseException;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;

/**
 * Test double: a storage that is a list of transactions (restore and iteration only, which
 * is all the migrate engines use), optionally with {@link BulkRestore}. Lets the engines be
 * tested apart from the real storages, and counts batches.
 */
class ListStorage implements Storage {
    final List<TransactionRecord> txns = new CopyOnWriteArrayList<>();
    final String name;
    int restoreCalls;
    int batchCalls;

    ListStorage(String name) {
        this.name = name;
    }

    static ListStorage bulk(String name) {
        return new Bulk(name);
    }

    static final class Bulk extends ListStorage implements BulkRestore {
        Bulk(String name) {
            super(name);
        }

        @Override
        public synchronized void restoreBatch(List<TransactionRecord> batch) {
            long last = lastTid();
            for (TransactionRecord t : batch) {
                if (t.tid() <= last)
                    throw new StorageMisuseException("batch tid " + Tid.hex(t.tid()) + " not after " + Tid.hex(last));
                last = t.tid();
            }
            batchCalls++;
            txns.addAll(batch);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.HISTORY);
    }

    @Override
    public long lastTid() {
        return txns.isEmpty() ? Tid.ZERO : txns.get(txns.size() - 1).tid();
    }

    @Override
    public Loaded load(long oid) {
        return loadAsOf(oid, lastTid());
    }

    Loaded loadAsOf(long oid, long asOf) {
        for (int i = txns.size() - 1; i >= 0; i--) {
            TransactionRecord t = txns.get(i);
            if (t.tid() > asOf) continue;
            for (Revision r : t.revisions()) {
                if (r.oid() == oid) {
                    if (r.data() == null) throw new PosKeyException(oid, "deleted");
                    return new Loaded(oid, t.tid(), r.data(), Tid.ZERO);
                }
            }
        }
        throw new PosKeyException(oid, "unknown");
    }

    @Override
    public Loaded loadBefore(long oid, long beforeTid) {
        return loadAsOf(oid, beforeTid - 1);
    }

    @Override
    public Loaded loadSerial(long oid, long tid) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long[] newOids(int count) {
        throw new UnsupportedOperationException();
    }

    @Override
    public StorageTransaction begin(TransactionMetadata metadata) {
        throw new UnsupportedOperationException("ListStorage only restores");
    }

    @Override
    public StorageView openView() {
        long at = lastTid();
        return new StorageView() {
            public long tid() {
                return at;
            }

            public Loaded load(long oid) {
                return loadAsOf(oid, at);
            }

            public Invalidations sync() {
                throw new UnsupportedOperationException();
            }

            public void close() {}
        };
    }

    @Override
    public CloseableIterator<TransactionRecord> iterator(long fromTid, long toTid) {
        List<TransactionRecord> out = new ArrayList<>();
        for (TransactionRecord t : txns) if (t.tid() >= fromTid && t.tid() <= toTid) out.add(t);
        return CloseableIterator.of(out.iterator());
    }

    @Override
    public List<HistoryEntry> history(long oid, int max) {
        throw new UnsupportedOperationException();
    }

    @Override
    public PackResult pack(long beforeTid, PackProgress progress) {
        throw new UnsupportedOperationException();
    }

    @Override
    public synchronized void restore(TransactionRecord txn) {
        if (txn.tid() <= lastTid())
            throw new StorageMisuseException("tid " + Tid.hex(txn.tid()) + " not after " + Tid.hex(lastTid()));
        restoreCalls++;
        txns.add(txn);
    }

    @Override
    public AutoCloseable addCommitListener(org.cairndb.storage.CommitListener l) {
        return () -> {};
    }

    @Override
    public long objectCount() {
        long n = 0;
        for (long oid : Verifier.oidsOf(this, new ListStorage("empty"))) {
            try {
                load(oid);
                n++;
            } catch (PosKeyException deleted) {
                // no data now
            }
        }
        return n;
    }

    @Override
    public void close() {}
}
