package org.cairndb.storage;

/** The storage holds no record for an oid (or none at the requested time). */
public class PosKeyException extends StorageException {
    private final long oid;

    public PosKeyException(long oid, String detail) {
        super("no record for oid " + Oid.describe(oid) + ": " + detail);
        this.oid = oid;
    }

    public long oid() {
        return oid;
    }
}
