package org.cairndb.migrate;

import java.util.HashMap;
import java.util.Map;
import org.cairndb.storage.Capability;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.Oid;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageMisuseException;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionRecord;

/**
 * The one place that decides whether a copy or import may write into a destination that
 * is not empty, for every kind of source (a storage, an export file, a Data.fs).
 *
 * <p>Rule: only with {@code --incremental}, and only when the destination is a prefix of the
 * source: its last transaction must be one of the source's, with the same tid, user,
 * description, extension and records (when either side shows only the current state, only
 * the records both still show are compared). Anything else is a destination that was not filled from this source
 * (or a source that was packed or rewritten since), and continuing would mix two databases;
 * it is refused before anything is written.
 *
 * <p>The check rides along the source as it is read ({@link #check}): transactions up to the
 * destination's last one are read and skipped by the transfer; the one with the
 * destination's last tid must match, and a source that passes that tid, or ends, without it
 * is refused. For a storage source the read starts at that tid, so nothing is read twice.
 */
final class Resume {
    private final String command;
    private final Storage destination;
    private final TransactionRecord last; // null: the destination is empty
    private final boolean contentsKnown; // false: only the tid of the destination's last transaction is known

    private Resume(String command, Storage destination, TransactionRecord last, boolean contentsKnown) {
        this.command = command;
        this.destination = destination;
        this.last = last;
        this.contentsKnown = contentsKnown;
    }

    /**
     * @param command "copy" or "import", for messages
     * @throws StorageMisuseException if the destination is not empty and the transfer is not incremental
     */
    static Resume of(String command, Storage destination, boolean incremental) {
        long destLast = destination.lastTid();
        if (destLast == Tid.ZERO) return new Resume(command, destination, null, false);
        if (!incremental) {
            throw new StorageMisuseException(
                    "destination " + destination.name() + " is not empty (last tid " + Tid.describe(destLast) + "); "
                            + command + " into an empty storage, or pass --incremental to continue an earlier "
                            + command + " from this source");
        }
        TransactionRecord t = null;
        try (CloseableIterator<TransactionRecord> it = destination.iterator(destLast, destLast)) {
            if (it.hasNext()) t = it.next();
        }
        if (t == null || t.tid() != destLast) {
            // a current-state destination whose last transaction's records were all replaced or deleted since: only the
            // tid is known
            return new Resume(
                    command, destination, new TransactionRecord(destLast, true, null, java.util.List.of()), false);
        }
        return new Resume(command, destination, t, true);
    }

    /** The destination's last tid (transactions up to it are skipped), or {@link Tid#ZERO} when it is empty. */
    long skipThrough() {
        return last == null ? Tid.ZERO : last.tid();
    }

    /**
     * The source, checked as it is read: refuses when the destination's last transaction is not in it, the same.
     * @param sourceKeepsHistory false for a storage that shows only current state (its transactions may lack records since replaced)
     */
    CloseableIterator<TransactionRecord> check(
            CloseableIterator<TransactionRecord> source, String sourceName, boolean sourceKeepsHistory) {
        if (last == null) return source;
        return new CloseableIterator<>() {
            boolean matched;

            @Override
            public boolean hasNext() {
                boolean has = source.hasNext();
                if (!has && !matched)
                    throw refused(sourceName, "the source ends before it (at most up to the transactions before it)");
                return has;
            }

            @Override
            public TransactionRecord next() {
                TransactionRecord t = source.next();
                if (!matched) {
                    int c = Long.compareUnsigned(t.tid(), last.tid());
                    if (c > 0)
                        throw refused(
                                sourceName,
                                "the source has no transaction with that tid (it goes on at " + Tid.describe(t.tid())
                                        + ")");
                    if (c == 0) {
                        boolean exact = sourceKeepsHistory
                                && destination.supports(Capability.HISTORY)
                                && !t.packed()
                                && !last.packed();
                        String d = contentsKnown ? difference(t, last, exact) : null;
                        if (d != null)
                            throw refused(sourceName, "the source's transaction with that tid differs: " + d);
                        matched = true;
                    }
                }
                return t;
            }

            @Override
            public void close() {
                source.close();
            }
        };
    }

    private StorageMisuseException refused(String sourceName, String why) {
        return new StorageMisuseException("cannot continue the " + command + " into " + destination.name() + " from "
                + sourceName
                + ": the destination's last transaction " + Tid.describe(last.tid()) + " is not in the source (" + why
                + "), so the destination was not filled from this source (or the source was packed or rewritten since); nothing was written."
                + " " + capitalized(command) + " into an empty storage instead");
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /**
     * What differs between the source's transaction and the destination's, or null.
     * @param exact both show the transaction whole (they keep history, and neither marks it packed): the
     *              same records, no more and no fewer; otherwise either may lack records replaced since,
     *              and the records both show must be the same
     */
    static String difference(TransactionRecord src, TransactionRecord dst, boolean exact) {
        if (!src.metadata().user().equals(dst.metadata().user()))
            return "user '" + src.metadata().user() + "' vs '" + dst.metadata().user() + "'";
        if (!src.metadata().description().equals(dst.metadata().description())) {
            return "description '" + src.metadata().description() + "' vs '"
                    + dst.metadata().description() + "'";
        }
        if (!java.util.Arrays.equals(src.metadata().extension(), dst.metadata().extension()))
            return "extension bytes differ";
        Map<Long, Revision> bySrc = new HashMap<>();
        for (Revision r : src.revisions()) bySrc.put(r.oid(), r);
        for (Revision r : dst.revisions()) {
            Revision s = bySrc.get(r.oid());
            if (s == null && !exact) continue;
            if (s == null)
                return "object " + Oid.describe(r.oid())
                        + " is written by the destination's transaction, not by the source's";
            boolean same = s.isBackpointer() || r.isBackpointer()
                    ? s.data() == null || r.data() == null || java.util.Arrays.equals(s.data(), r.data())
                    : java.util.Arrays.equals(s.data(), r.data());
            if (!same) return "object " + Oid.describe(r.oid()) + " has other bytes";
        }
        if (exact && dst.revisions().size() != src.revisions().size()) {
            return src.revisions().size() + " records in the source, "
                    + dst.revisions().size() + " in the destination";
        }
        return null;
    }
}
