package org.cairndb.storage.spi;

import org.jspecify.annotations.Nullable;

/**
 * A store, delete or undo-written revision buffered by a transaction until vote.
 *
 * @param data    the record, or null for a deletion
 * @param dataTid {@code Tid.ZERO}, or for undo the transaction whose data is reused
 */
public record PendingWrite(long oid, long readTid, byte @Nullable [] data, long dataTid) {}
