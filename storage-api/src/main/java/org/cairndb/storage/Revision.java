package org.cairndb.storage;

import java.util.Arrays;

/**
 * One record revision written by a transaction, as iteration returns it and restore takes it.
 *
 * @param oid     the object
 * @param tid     the transaction that wrote this revision
 * @param data    the record bytes, or null when the revision holds no data: a deletion, or
 *                the undo of the object's creation
 * @param dataTid when not {@link Tid#ZERO}: the earlier transaction whose data this revision
 *                reuses (ZODB's data_txn / backpointer, written by undo); {@code data} then
 *                holds that transaction's data for the oid (or null if it had none). It is
 *                the transaction the source's backpointer names, kept as written: after an
 *                undo of an undo, ZODB's backpointer names the earlier undo's record, itself
 *                a backpointer, and {@code data} is the data at the end of that chain.
 *                Storages keep it unchanged, so copy and export write the same pointer
 */
public record Revision(long oid, long tid, byte[] data, long dataTid) {
    public static Revision of(long oid, long tid, byte[] data) {
        return new Revision(oid, tid, data, Tid.ZERO);
    }

    public boolean hasData() {
        return data != null;
    }

    public boolean isBackpointer() {
        return dataTid != Tid.ZERO;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Revision r
                && r.oid == oid
                && r.tid == tid
                && r.dataTid == dataTid
                && Arrays.equals(r.data, data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(oid) * 31 + Long.hashCode(tid) * 17 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Revision[oid=" + Oid.describe(oid) + " tid=" + Tid.hex(tid)
                + (data == null ? " no data" : " " + data.length + " bytes")
                + (isBackpointer() ? " data from " + Tid.hex(dataTid) : "") + "]";
    }
}
