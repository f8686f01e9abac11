package org.cairndb.storage;

import java.util.List;

/**
 * Optional extension of {@link Storage}: restores many transactions in one go, the fast path
 * of import (PostgreSQL implements it with COPY). A batch is all or nothing: after a failure
 * the storage holds no transaction of it. Tids must be increasing and greater than
 * {@link Storage#lastTid()}, as for {@link Storage#restore}.
 */
public interface BulkRestore {
    void restoreBatch(List<TransactionRecord> batch);
}
