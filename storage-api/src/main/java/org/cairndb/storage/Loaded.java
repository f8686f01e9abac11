package org.cairndb.storage;

/**
 * The result of a load: the revision of an object valid at the requested time. For readers
 * from ZODB: the {@code (data, serial, next_serial)} triple of {@code loadBefore}.
 *
 * @param oid     the object
 * @param tid     the transaction that wrote this revision (the object's serial)
 * @param data    the record bytes (never null: a revision without data is reported as
 *                {@link PosKeyException})
 * @param nextTid the tid of the next revision of the object, or {@link Tid#ZERO} when this
 *                one is current
 */
public record Loaded(long oid, long tid, byte[] data, long nextTid) {
    public boolean isCurrent() {
        return nextTid == Tid.ZERO;
    }

    @Override
    public String toString() {
        return "Loaded[oid=" + Oid.describe(oid) + " tid=" + Tid.hex(tid) + " " + data.length + " bytes"
                + (nextTid == Tid.ZERO ? "" : " next=" + Tid.hex(nextTid)) + "]";
    }
}
