package org.cairndb.migrate;

import org.cairndb.storage.Capability;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.Storage;
import org.cairndb.storage.TransactionRecord;

/**
 * The transactions of a storage as copy and export hand them on: from a storage that keeps
 * only the current state (no {@link Capability#HISTORY}: {@code mem:}, {@code temp:},
 * PostgreSQL history-free) every transaction is marked packed.
 *
 * <p>Why: such a storage gives each object's only revision under the transaction that wrote
 * it, its earlier revisions gone, as if the database had been packed at its last tid, and a
 * ZODB pack marks every transaction it rewrote {@code 'p'}. Left unmarked, a FileStorage
 * written from it would show Python ZODB undoable transactions whose records have prev = 0,
 * and undoing one would delete the objects (ZODB reads prev = 0 as "undo the creation"),
 * where the same undo on the original reverted a change. ZODB neither lists nor undoes a
 * packed transaction, nor any before it. Marking here, where the history is lost, keeps the
 * mark with the data through every later copy, export and import, also into storages that
 * keep history.
 */
final class CurrentStateAsPacked {
    private CurrentStateAsPacked() {}

    static CloseableIterator<TransactionRecord> of(Storage from, CloseableIterator<TransactionRecord> it) {
        if (from.supports(Capability.HISTORY)) return it;
        return new CloseableIterator<>() {
            public boolean hasNext() {
                return it.hasNext();
            }

            public TransactionRecord next() {
                TransactionRecord t = it.next();
                return t.packed() ? t : new TransactionRecord(t.tid(), true, t.metadata(), t.revisions());
            }

            public void close() {
                it.close();
            }
        };
    }
}
