package org.cairndb.mapping;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import net.openhft.chronicle.map.ChronicleMap;
import org.cairndb.storage.StorageException;
import org.cairndb.storage.Tid;

/**
 * At open, checks a persisted {@code mem:} map against its commit journal and decides what to
 * redo, so that a damaged or mismatched pair is never "recovered" into wrong data.
 *
 * <h2>What a healthy pair looks like</h2>
 * The journal's newest slot N is the last transaction; slot N-1 the one before. Slot N-1 is
 * wholly in the map (its finish returned before slot N was written), so every record it names
 * is in the map with that tid or a newer one (or gone: a pack removes objects before it writes
 * its empty slot, so a crash in between leaves records of slot N-1 missing). Slot N's records are in the map with its tid
 * (applied) or an older one (the crash came before or during the apply): redoing them is exact.
 * An empty slot is written after a pack or an undone apply; then slot N-1's records may be
 * gone or put back, and are not checked.
 *
 * <h2>Decisions</h2>
 * <ul>
 * <li>A record of slot N-1 older in the map: the map is older than its
 *     journal (a map restored from an older backup, or damaged). Refused, saying how to recover.</li>
 * <li>The map holds a transaction newer than slot N (a record of slot N newer in the map, or,
 *     when a slot is missing or unreadable, a scan of the map finds a newer tid): the newest
 *     slot was lost. Slot N is older than what the map holds and is not redone; the counters
 *     are derived from the map. One line says so.</li>
 * <li>Otherwise slot N is redone: record by record, only where the map differs.</li>
 * </ul>
 */
final class JournalCheck {
    /**
     * @param trusted the slot whose counters (tid, next oid...) hold, or null to derive them from the map
     * @param redone  records put back into the map
     * @param note    what was found and done (no storage name), or null when nothing happened
     */
    record Outcome(CommitJournal.Slot trusted, int redone, String note) {}

    private JournalCheck() {}

    static Outcome run(
            String name,
            java.nio.file.Path file,
            ChronicleMap<Long, byte[]> map,
            Supplier<ChronicleMap<Long, byte[]>> chunks,
            CommitJournal journal) {
        CommitJournal.Slot last = journal.recovered();
        if (last == null) {
            return new Outcome(
                    null,
                    0,
                    journal.hasGap()
                            ? "the commit journal " + journal.describe()
                                    + " is unreadable; opened the map as it is, with its counters read from the map"
                            : null);
        }
        if (map.isEmpty() && last.liveObjects() > records(last).size()) {
            throw new StorageException(
                    "storage '" + name + "': the map " + file + " is empty, but its commit journal "
                            + journal.describe()
                            + " counts " + last.liveObjects() + " objects after transaction " + Tid.describe(last.tid())
                            + ": the map was lost or"
                            + " replaced, and nothing was changed. Restore the map and its .journal-a/.journal-b files from the same backup");
        }
        CommitJournal.Slot before = journal.previous();
        if (before != null && !records(last).isEmpty()) {
            for (CommitJournal.Entry e : records(before)) {
                byte[] v = map.get(e.key());
                // missing is no proof: a pack interrupted before its journal mark may have removed it
                if (v != null && RecordCodec.tid(v) < before.tid()) {
                    throw new StorageException("storage '" + name + "': the map " + file + " lacks transaction "
                            + Tid.describe(before.tid())
                            + " (object " + org.cairndb.storage.Oid.describe(e.key()) + " is at the older transaction "
                            + Tid.describe(RecordCodec.tid(v)) + "), which its commit journal " + journal.describe()
                            + " says was committed: the map is older than its journal (restored from an older backup, or damaged), and nothing"
                            + " was changed. Restore the map and its .journal-a/.journal-b files from the same backup; or, to read what the map"
                            + " holds, move the two journal files aside, open it and export what is intact");
                }
            }
        }
        long newest = Tid.ZERO;
        for (CommitJournal.Entry e : records(last)) {
            byte[] v = map.get(e.key());
            if (v != null) newest = Math.max(newest, RecordCodec.tid(v));
        }
        if (newest <= last.tid() && journal.hasGap()) newest = Math.max(newest, maxTid(map));
        if (newest > last.tid()) {
            return new Outcome(
                    null,
                    0,
                    "the map holds transaction " + Tid.describe(newest)
                            + ", newer than the last one its commit journal " + journal.describe() + " can read ("
                            + Tid.describe(last.tid())
                            + "; a journal slot is missing or damaged): kept the map as it is and redid nothing");
        }
        int redone = 0;
        for (CommitJournal.Entry e : last.entries()) {
            ChronicleMap<Long, byte[]> target = e.chunk() ? chunks.get() : map;
            if (!Arrays.equals(target.get(e.key()), e.value())) {
                target.put(e.key(), e.value());
                redone++;
            }
        }
        return new Outcome(
                last,
                redone,
                redone == 0
                        ? null
                        : "completed transaction " + Tid.describe(last.tid()) + " from the commit journal (" + redone
                                + " records put back); every committed transaction is in the map");
    }

    private static List<CommitJournal.Entry> records(CommitJournal.Slot s) {
        List<CommitJournal.Entry> out = new ArrayList<>();
        for (CommitJournal.Entry e : s.entries()) if (!e.chunk()) out.add(e);
        return out;
    }

    private static long maxTid(ChronicleMap<Long, byte[]> map) {
        long[] max = {Tid.ZERO};
        map.forEach((k, v) -> max[0] = Math.max(max[0], RecordCodec.tid(v)));
        return max[0];
    }
}
