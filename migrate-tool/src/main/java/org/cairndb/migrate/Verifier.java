package org.cairndb.migrate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.Oid;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionRecord;

/**
 * Compares two storages.
 *
 * <ul>
 * <li><b>Full</b> ({@link #compareAll}): both transaction iterators side by side; every
 *     transaction's tid, packed flag, user, description, extension and every revision's oid,
 *     data-tid and bytes must be equal, in the same order. Memory: one transaction per side.</li>
 * <li><b>Current state</b> ({@link #compareCurrent}): the oids named by either storage's
 *     transactions, each loaded from a view of both (as of each one's last tid); tid and
 *     bytes must be equal, and an object must be missing on both sides or on neither. For
 *     storages that keep different amounts of history (temp: versus a history-preserving
 *     one). Memory: 8 bytes per oid.</li>
 * </ul>
 * The digest is SHA-256 over a fixed encoding of what was compared, so two verifications
 * of equal contents print the same digest whichever storages hold them.
 *
 * <p><b>What "equal" means</b> ({@link #compare}): two storages that both keep history are
 * equal when every transaction is. A storage that keeps only the current state ({@code mem:},
 * {@code temp:}, {@code postgres://...?history=free}) cannot show the revisions it dropped,
 * and its transactions' packed flags describe what it dropped, not the data; so when either
 * side keeps only the current state, equal means the same current state: every object with
 * the same tid and bytes, or deleted on both sides. A faithful copy into such a storage is
 * then reported equal, and a copy that lost or changed an object is not.
 */
public final class Verifier {
    private Verifier() {}

    /** Whether {@link #compare} compares every transaction (true) or the current state (false) of these two storages. */
    public static boolean comparesHistory(Storage a, Storage b) {
        return a.supports(org.cairndb.storage.Capability.HISTORY) && b.supports(org.cairndb.storage.Capability.HISTORY);
    }

    /** Full comparison when both storages keep history, else the current state (see the class note). */
    public static VerifyResult compare(Storage a, Storage b, Progress progress, StopSignal stop) {
        return comparesHistory(a, b) ? compareAll(a, b, progress, stop) : compareCurrent(a, b, progress, stop);
    }

    public static VerifyResult compareAll(Storage a, Storage b, Progress progress, StopSignal stop) {
        MessageDigest md = sha256();
        long txns = 0, recs = 0;
        long endA = a.lastTid(), endB = b.lastTid();
        var fraction = Transfer.byTid(endA);
        try (CloseableIterator<TransactionRecord> ia = a.iterator(Tid.ZERO, endA);
                CloseableIterator<TransactionRecord> ib = b.iterator(Tid.ZERO, endB)) {
            while (true) {
                if (stop.isStopRequested()) {
                    return new VerifyResult(
                            false, null, "stopped before the end, after " + txns + " equal transactions", txns, recs);
                }
                boolean ha = ia.hasNext(), hb = ib.hasNext();
                if (!ha && !hb) break;
                if (!ha || !hb) {
                    Storage shorter = ha ? b : a, longer = ha ? a : b;
                    TransactionRecord extra = (ha ? ia : ib).next();
                    return differ(
                            txns,
                            recs,
                            shorter.name() + " ends after " + txns + " transactions; " + longer.name()
                                    + " has more, starting with " + extra);
                }
                TransactionRecord ta = ia.next(), tb = ib.next();
                String d = firstDifference(ta, tb, a.name(), b.name());
                if (d != null) return differ(txns, recs, d);
                digest(md, ta);
                txns++;
                recs += ta.revisions().size();
                progress.update(txns, recs, fraction.applyAsDouble(ta.tid()));
            }
        }
        return new VerifyResult(true, HexFormat.of().formatHex(md.digest()), null, txns, recs);
    }

    public static VerifyResult compareCurrent(Storage a, Storage b, Progress progress, StopSignal stop) {
        long[] oids = oidsOf(a, b);
        MessageDigest md = sha256();
        long compared = 0;
        try (StorageView va = a.openView();
                StorageView vb = b.openView()) {
            for (long oid : oids) {
                if (stop.isStopRequested()) {
                    return new VerifyResult(
                            false, null, "stopped before the end, after " + compared + " equal objects", 0, compared);
                }
                Loaded la = load(va, oid), lb = load(vb, oid);
                if (la == null && lb == null) continue;
                if (la == null || lb == null) {
                    return differ(
                            0,
                            compared,
                            "object " + Oid.describe(oid) + " has data in " + (la == null ? b.name() : a.name()) + " ("
                                    + (la == null ? lb : la) + ") but none in " + (la == null ? a.name() : b.name()));
                }
                if (la.tid() != lb.tid() || !Arrays.equals(la.data(), lb.data())) {
                    return differ(
                            0,
                            compared,
                            "object " + Oid.describe(oid) + ": " + a.name() + " has " + la + ", " + b.name() + " has "
                                    + lb
                                    + (la.tid() == lb.tid()
                                            ? "; the bytes differ first at index "
                                                    + Arrays.mismatch(la.data(), lb.data())
                                            : ""));
                }
                md.update(Tid.bytes(oid));
                md.update(Tid.bytes(la.tid()));
                md.update(Tid.bytes(la.data().length));
                md.update(la.data());
                compared++;
                progress.update(0, compared, (double) compared / oids.length);
            }
        }
        return new VerifyResult(true, HexFormat.of().formatHex(md.digest()), null, 0, compared);
    }

    private static Loaded load(StorageView v, long oid) {
        try {
            return v.load(oid);
        } catch (PosKeyException missing) {
            return null;
        }
    }

    /** Every oid written by a transaction of either storage, sorted, without duplicates. */
    static long[] oidsOf(Storage a, Storage b) {
        long[] oids = new long[1024];
        int n = 0;
        for (Storage s : List.of(a, b)) {
            try (CloseableIterator<TransactionRecord> it = s.iterator(Tid.ZERO, s.lastTid())) {
                while (it.hasNext()) {
                    for (Revision r : it.next().revisions()) {
                        if (n == oids.length) {
                            Arrays.sort(oids, 0, n);
                            n = dedupe(oids, n);
                            if (n * 2 > oids.length) oids = Arrays.copyOf(oids, oids.length * 2);
                        }
                        oids[n++] = r.oid();
                    }
                }
            }
        }
        Arrays.sort(oids, 0, n);
        return Arrays.copyOf(oids, dedupe(oids, n));
    }

    private static int dedupe(long[] sorted, int n) {
        if (n == 0) return 0;
        int w = 1;
        for (int i = 1; i < n; i++) if (sorted[i] != sorted[w - 1]) sorted[w++] = sorted[i];
        return w;
    }

    /** A description of the first difference between two transactions, or null when equal. */
    static String firstDifference(TransactionRecord x, TransactionRecord y, String nameX, String nameY) {
        String at = "transaction " + Tid.describe(x.tid());
        if (x.tid() != y.tid())
            return "transaction tids differ: " + nameX + " has " + Tid.describe(x.tid()) + " where " + nameY + " has "
                    + Tid.describe(y.tid());
        if (x.packed() != y.packed())
            return at + ": packed flag " + x.packed() + " in " + nameX + ", " + y.packed() + " in " + nameY;
        if (!x.metadata().user().equals(y.metadata().user()))
            return at + ": user '" + x.metadata().user() + "' in " + nameX + ", '"
                    + y.metadata().user() + "' in " + nameY;
        if (!x.metadata().description().equals(y.metadata().description()))
            return at + ": description '" + x.metadata().description() + "' in " + nameX + ", '"
                    + y.metadata().description() + "' in " + nameY;
        if (!Arrays.equals(x.metadata().extension(), y.metadata().extension()))
            return at + ": extension bytes differ (" + x.metadata().extension().length + " bytes in " + nameX + ", "
                    + y.metadata().extension().length + " in " + nameY + ")";
        List<Revision> rx = x.revisions(), ry = y.revisions();
        for (int i = 0; i < Math.min(rx.size(), ry.size()); i++) {
            Revision a = rx.get(i), b = ry.get(i);
            if (!a.equals(b)) {
                String d = a.oid() != b.oid()
                        ? "oid " + Oid.describe(a.oid()) + " vs " + Oid.describe(b.oid())
                        : a.dataTid() != b.dataTid()
                                ? "data tid " + Tid.hex(a.dataTid()) + " vs " + Tid.hex(b.dataTid())
                                : a.data() == null || b.data() == null
                                        ? (a.data() == null ? "no data" : a.data().length + " bytes") + " vs "
                                                + (b.data() == null ? "no data" : b.data().length + " bytes")
                                        : "bytes differ first at index " + Arrays.mismatch(a.data(), b.data()) + " ("
                                                + a.data().length + " vs " + b.data().length + " bytes)";
                return at + ", revision " + (i + 1) + " of oid " + Oid.describe(a.oid()) + ": " + d + " (" + nameX
                        + " vs " + nameY + ")";
            }
        }
        if (rx.size() != ry.size())
            return at + ": " + rx.size() + " revisions in " + nameX + ", " + ry.size() + " in " + nameY;
        return null;
    }

    static void digest(MessageDigest md, TransactionRecord t) {
        md.update(Tid.bytes(t.tid()));
        md.update((byte) (t.packed() ? 1 : 0));
        for (byte[] b : List.of(
                t.metadata().user().getBytes(StandardCharsets.UTF_8),
                t.metadata().description().getBytes(StandardCharsets.UTF_8),
                t.metadata().extension())) {
            md.update(Tid.bytes(b.length));
            md.update(b);
        }
        md.update(Tid.bytes(t.revisions().size()));
        for (Revision r : t.revisions()) {
            md.update(Tid.bytes(r.oid()));
            md.update(Tid.bytes(r.dataTid()));
            md.update(Tid.bytes(r.data() == null ? -1 : r.data().length));
            if (r.data() != null) md.update(r.data());
        }
    }

    private static VerifyResult differ(long txns, long recs, String difference) {
        return new VerifyResult(false, null, difference, txns, recs);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
