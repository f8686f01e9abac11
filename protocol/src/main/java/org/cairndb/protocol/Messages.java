package org.cairndb.protocol;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.cairndb.storage.Capability;
import org.cairndb.storage.HistoryEntry;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.Revision;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;

/**
 * Payload layouts of the storage values that travel in frames; both sides use these so the
 * layout is written down once (and in docs/protocol.md).
 */
public final class Messages {
    private Messages() {}

    /** oid:i64 tid:i64 nextTid:i64 data:bytes */
    public static void writeLoaded(PayloadWriter w, Loaded l) {
        w.i64(l.oid()).i64(l.tid()).i64(l.nextTid()).bytes(l.data());
    }

    public static Loaded readLoaded(PayloadReader r) {
        long oid = r.i64();
        long tid = r.i64();
        long next = r.i64();
        byte[] data = r.bytes();
        if (data == null)
            throw new ProtocolException(
                    "load result for oid " + oid + " has no data (expected bytes; no data is an ERROR POSKEY)");
        return new Loaded(oid, tid, data, next);
    }

    /** user:str description:str extension:bytes */
    public static void writeMetadata(PayloadWriter w, TransactionMetadata m) {
        w.str(m.user()).str(m.description()).bytes(m.extension());
    }

    public static TransactionMetadata readMetadata(PayloadReader r) {
        return new TransactionMetadata(r.str(), r.str(), r.bytes());
    }

    /** tid:i64 packed:bool metadata count:i32 (oid:i64 tid:i64 dataTid:i64 data:bytes)* */
    public static void writeTransaction(PayloadWriter w, TransactionRecord t) {
        w.i64(t.tid()).bool(t.packed());
        writeMetadata(w, t.metadata());
        w.i32(t.revisions().size());
        for (Revision rev : t.revisions())
            w.i64(rev.oid()).i64(rev.tid()).i64(rev.dataTid()).bytes(rev.data());
    }

    public static TransactionRecord readTransaction(PayloadReader r) {
        long tid = r.i64();
        boolean packed = r.bool();
        TransactionMetadata m = readMetadata(r);
        int n = r.count("revision", 28);
        List<Revision> revs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long oid = r.i64();
            long rtid = r.i64();
            long dataTid = r.i64();
            revs.add(new Revision(oid, rtid, r.bytes(), dataTid));
        }
        return new TransactionRecord(tid, packed, m, revs);
    }

    /** oid:i64 tid:i64 size:i32 metadata */
    public static void writeHistory(PayloadWriter w, HistoryEntry h) {
        w.i64(h.oid()).i64(h.tid()).i32(h.size());
        writeMetadata(w, h.metadata());
    }

    public static HistoryEntry readHistory(PayloadReader r) {
        return new HistoryEntry(r.i64(), r.i64(), r.i32(), readMetadata(r));
    }

    /** A bit per {@link Capability}, by ordinal. */
    public static int capabilityBits(Set<Capability> caps) {
        int bits = 0;
        for (Capability c : caps) bits |= 1 << c.ordinal();
        return bits;
    }

    public static Set<Capability> capabilities(int bits) {
        Set<Capability> caps = EnumSet.noneOf(Capability.class);
        for (Capability c : Capability.values()) if ((bits & (1 << c.ordinal())) != 0) caps.add(c);
        return caps;
    }
}
