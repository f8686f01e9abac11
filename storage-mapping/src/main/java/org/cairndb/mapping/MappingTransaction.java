package org.cairndb.mapping;

import java.util.Collection;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.spi.MvccTransaction;
import org.cairndb.storage.spi.PendingWrite;

/**
 * A transaction of {@link MappingStorage}: the shared in-memory MVCC transaction
 * ({@link MvccTransaction}) with {@code mem:}'s two rules: a stale write is a
 * {@link ConflictException}, never resolved (that is {@code temp:}'s job), and a transaction
 * that would not fit the map is refused at vote.
 */
final class MappingTransaction extends MvccTransaction {
    private final MappingStorage storage;

    MappingTransaction(MappingStorage storage, TransactionMetadata metadata) {
        super(storage.name(), metadata, storage.txnStore());
        this.storage = storage;
    }

    @Override
    protected byte[] onWriteConflict(PendingWrite w, Current current) {
        // A conflict with a commit still waiting for its journal force: let it become visible
        // first, so that the caller's retry (or merge) reads the revision it conflicted with.
        if (current != null && storage.unpublishedTid(current.tid())) storage.awaitPublished(current.tid());
        String cls = w.data() != null ? className(w.data()) : current != null ? className(current.data()) : null;
        throw new ConflictException(
                w.oid(),
                cls,
                w.readTid(),
                current == null ? Tid.ZERO : current.tid(),
                "mem: detects conflicts but never resolves them (use temp: or postgres:// for resolution)");
    }

    @Override
    protected void beforeTid(Collection<PendingWrite> writes) {
        storage.checkCapacity(writes);
    }
}
