package org.cairndb.storage;

/**
 * One revision of an object in {@link Storage#history}: newest first.
 *
 * @param size bytes of data, or -1 for a revision without data
 */
public record HistoryEntry(long oid, long tid, int size, TransactionMetadata metadata) {}
