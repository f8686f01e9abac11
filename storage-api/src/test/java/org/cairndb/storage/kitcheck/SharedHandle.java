package org.cairndb.storage.kitcheck;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.cairndb.storage.Capability;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.CommitListener;
import org.cairndb.storage.HistoryEntry;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.PackProgress;
import org.cairndb.storage.PackResult;
import org.cairndb.storage.ReadOnlyException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageClosedException;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;

/**
 * NOT A STORAGE: a second handle on a {@link ReferenceStorage}'s data, so the kit's peer and
 * read-only contracts can be exercised inside storage-api. Closing the handle leaves the
 * shared data open; a read-only handle refuses every write with {@link ReadOnlyException}.
 */
final class SharedHandle implements Storage {
    private final ReferenceStorage data;
    private final boolean readOnly;
    private volatile boolean closed;

    SharedHandle(ReferenceStorage data, boolean readOnly) {
        this.data = data;
        this.readOnly = readOnly;
    }

    private ReferenceStorage open() {
        if (closed) throw new StorageClosedException("storage '" + name() + "'");
        return data;
    }

    private ReferenceStorage writable(String what) {
        if (readOnly) throw new ReadOnlyException("storage '" + name() + "' is read-only: " + what + " refused");
        return open();
    }

    @Override
    public String name() {
        return data.name() + (readOnly ? " (read-only)" : " (peer)");
    }

    @Override
    public Set<Capability> capabilities() {
        Set<Capability> c = EnumSet.noneOf(Capability.class);
        c.addAll(data.capabilities());
        if (readOnly) c.add(Capability.READ_ONLY);
        return c;
    }

    @Override
    public long lastTid() {
        return open().lastTid();
    }

    @Override
    public Loaded load(long oid) {
        return open().load(oid);
    }

    @Override
    public Loaded loadBefore(long oid, long beforeTid) {
        return open().loadBefore(oid, beforeTid);
    }

    @Override
    public Loaded loadSerial(long oid, long tid) {
        return open().loadSerial(oid, tid);
    }

    @Override
    public long[] newOids(int count) {
        return writable("newOids").newOids(count);
    }

    @Override
    public StorageTransaction begin(TransactionMetadata metadata) {
        return writable("begin").begin(metadata);
    }

    @Override
    public StorageView openView() {
        return open().openView();
    }

    @Override
    public CloseableIterator<TransactionRecord> iterator(long fromTid, long toTid) {
        return open().iterator(fromTid, toTid);
    }

    @Override
    public List<HistoryEntry> history(long oid, int max) {
        return open().history(oid, max);
    }

    @Override
    public PackResult pack(long beforeTid, PackProgress progress) {
        return writable("pack").pack(beforeTid, progress);
    }

    @Override
    public void restore(TransactionRecord txn) {
        writable("restore").restore(txn);
    }

    @Override
    public AutoCloseable addCommitListener(CommitListener listener) {
        return open().addCommitListener(listener);
    }

    @Override
    public long objectCount() {
        return open().objectCount();
    }

    @Override
    public void close() {
        closed = true;
    }
}
