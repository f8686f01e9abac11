package org.cairndb.storage;

import org.jspecify.annotations.Nullable;

/**
 * A read conflict: a {@code checkCurrent} found the object changed since it was read, or a
 * snapshot needs a revision that the storage no longer keeps. Retryable, no trace left.
 */
public class ReadConflictException extends ConflictException {
    public ReadConflictException(
            long oid, @Nullable String className, long readTid, long currentTid, @Nullable String detail) {
        super("read conflict", oid, className, readTid, currentTid, detail);
    }
}
