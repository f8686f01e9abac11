package org.cairndb.storage;

import org.jspecify.annotations.Nullable;

/**
 * A write conflict: the transaction stored an object that another transaction committed
 * after this one read it, and the two states could not be merged by a resolver.
 * The transaction leaves no trace; retry it on a fresh snapshot.
 */
public class ConflictException extends RetryableException {
    private final long oid;
    private final @Nullable String className;
    private final long readTid;
    private final long currentTid;

    public ConflictException(long oid, @Nullable String className, long readTid, long currentTid) {
        this(oid, className, readTid, currentTid, null);
    }

    public ConflictException(
            long oid, @Nullable String className, long readTid, long currentTid, @Nullable String detail) {
        super(message("write conflict", oid, className, readTid, currentTid, detail));
        this.oid = oid;
        this.className = className;
        this.readTid = readTid;
        this.currentTid = currentTid;
    }

    protected ConflictException(
            String kind, long oid, @Nullable String className, long readTid, long currentTid, @Nullable String detail) {
        super(message(kind, oid, className, readTid, currentTid, detail));
        this.oid = oid;
        this.className = className;
        this.readTid = readTid;
        this.currentTid = currentTid;
    }

    static String message(
            String kind, long oid, @Nullable String className, long readTid, long currentTid, @Nullable String detail) {
        return kind + " on oid " + Oid.describe(oid)
                + (className == null ? "" : " (" + className + ")")
                + ": read at tid " + Tid.describe(readTid)
                + " but current is " + Tid.describe(currentTid)
                + (detail == null ? "" : "; " + detail)
                + ". The transaction was not committed; retry it on a fresh snapshot"
                + " (TransactionManager.run retries for you).";
    }

    public long oid() {
        return oid;
    }
    /** The class name from the record header, or null when unknown (a foreign record). */
    public @Nullable String className() {
        return className;
    }

    public long readTid() {
        return readTid;
    }

    public long currentTid() {
        return currentTid;
    }
}
