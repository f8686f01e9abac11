package org.cairndb.storage.spi;

/**
 * A store, delete or undo-written revision buffered by a transaction until vote.
 *
 * @param data    the record, or null for a deletion
 * @param dataTid {@code Tid.ZERO}, or for undo the transaction whose data is reused
 */
public record PendingWrite(long oid, long readTid, byte[] data, long dataTid) {}
