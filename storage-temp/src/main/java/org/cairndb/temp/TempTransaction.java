package org.cairndb.temp;

import org.cairndb.storage.ConflictException;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.spi.MvccTransaction;
import org.cairndb.storage.spi.PendingWrite;
import org.cairndb.storage.spi.RevisionChains;

/**
 * A transaction of {@link TemporaryStorage}: the shared in-memory MVCC transaction
 * ({@link MvccTransaction}) with {@code temp:}'s rule for a stale write: the conflict
 * resolvers merge it, with the common ancestor (the revision at the read tid) when it is still
 * kept; else a {@link ConflictException}.
 */
final class TempTransaction extends MvccTransaction {
    private final TemporaryStorage storage;

    TempTransaction(TemporaryStorage storage, TransactionMetadata metadata) {
        super(storage.name(), metadata, storage.txnStore());
        this.storage = storage;
    }

    @Override
    protected byte[] onWriteConflict(PendingWrite w, Current current) {
        Rev head = storage.head(w.oid());
        byte[] committed = current == null ? null : current.data();
        Rev ancestor = w.readTid() == Tid.ZERO || head == null ? null : RevisionChains.exactly(head, w.readTid());
        long currentTid = current == null ? Tid.ZERO : current.tid();
        try {
            return resolveOrThrow(
                    storage.resolvers(), w, currentTid, committed, ancestor == null ? null : ancestor.data);
        } catch (ConflictException e) {
            throw e;
        } catch (RuntimeException resolverFailed) {
            ConflictException c = new ConflictException(
                    w.oid(),
                    className(w.data()),
                    w.readTid(),
                    currentTid,
                    "the conflict resolver failed: " + resolverFailed);
            c.initCause(resolverFailed);
            throw c;
        }
    }
}
