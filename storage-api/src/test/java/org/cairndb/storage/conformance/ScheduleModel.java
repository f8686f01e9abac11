package org.cairndb.storage.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cairndb.storage.Capability;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.ReadConflictException;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;

/**
 * Runs a schedule of logical writers against a storage on one thread and checks each outcome
 * against a first-committer-wins model of snapshot isolation:
 * <ul>
 * <li>BEGIN opens a snapshot view and a transaction; an idle writer also begins before any other step;</li>
 * <li>READ loads an object through the snapshot: it must see the model's state as of the
 *     snapshot (tid, data, or absence);</li>
 * <li>STORE/DELETE write an object with the tid the snapshot read (reading it first);</li>
 * <li>CHECK asserts an object read earlier is still current;</li>
 * <li>COMMIT votes and finishes: it must succeed exactly when every store/delete and check is
 *     based on the object's current tid, and otherwise fail with a conflict of the right kind,
 *     leaving no trace;</li>
 * <li>ABORT drops the transaction; VOTE_ABORT votes first (possibly failing) and then aborts.</li>
 * </ul>
 * Vote and finish happen in one step, so no writer ever waits for the commit lock and one
 * thread suffices. At the end the current state, a fresh snapshot and (with HISTORY) the
 * iterated transactions must equal the model.
 */
public final class ScheduleModel {
    public static final int OBJECTS = 2;

    public enum Kind {
        BEGIN,
        READ,
        STORE,
        DELETE,
        CHECK,
        COMMIT,
        ABORT,
        VOTE_ABORT
    }

    public record Step(Kind kind, int writer, int object) {
        @Override
        public String toString() {
            return kind + "(w" + writer
                    + (kind == Kind.READ || kind == Kind.STORE || kind == Kind.DELETE || kind == Kind.CHECK
                            ? ", o" + object
                            : "")
                    + ")";
        }
    }

    /** A committed revision in the model: data null for a deletion. */
    private record Rev(long tid, byte[] data) {}

    private final class Writer {
        StorageView view;
        StorageTransaction txn;
        long snapshot;
        /** oid → read tid as passed to the storage. */
        final Map<Long, Long> read = new HashMap<>();
        /** oid → the model's tid of what was read (a deletion's tid where the storage forgot it). */
        final Map<Long, Long> modelRead = new HashMap<>();

        final Map<Long, byte[]> writes = new LinkedHashMap<>();
        final Map<Long, Long> writeBase = new HashMap<>();
        final Map<Long, Long> checks = new HashMap<>();

        void end() {
            if (txn != null) txn.abort();
            if (view != null) view.close();
            view = null;
            txn = null;
            read.clear();
            modelRead.clear();
            writes.clear();
            writeBase.clear();
            checks.clear();
        }
    }

    private final Storage s;
    private final long[] oids;
    /** oid → committed revisions in tid order. */
    private final Map<Long, List<Rev>> history = new HashMap<>();

    private final List<TransactionRecord> committed = new ArrayList<>();
    private int counter;

    public ScheduleModel(Storage s) {
        this.s = s;
        this.oids = s.newOids(OBJECTS);
    }

    private Rev revisionAt(long oid, long tid) {
        Rev found = null;
        for (Rev r : history.getOrDefault(oid, List.of())) if (r.tid() <= tid) found = r;
        return found;
    }

    private long currentTid(long oid) {
        List<Rev> revs = history.getOrDefault(oid, List.of());
        return revs.isEmpty() ? Tid.ZERO : revs.get(revs.size() - 1).tid();
    }

    /** The tid a writer's snapshot read for oid, as the kit's writers pass it to store. */
    private long readThroughView(Writer w, long oid) {
        Long known = w.read.get(oid);
        if (known != null) return known;
        Rev expected = revisionAt(oid, w.snapshot);
        long tid;
        try {
            Loaded l = w.view.load(oid);
            assertThat(expected)
                    .as("snapshot %s loaded oid %s but the model has no data", Tid.hex(w.snapshot), oid)
                    .isNotNull();
            assertThat(l.tid()).isEqualTo(expected.tid());
            assertThat(l.data()).isEqualTo(expected.data());
            tid = l.tid();
        } catch (PosKeyException e) {
            assertThat(expected == null || expected.data() == null)
                    .as("snapshot %s says oid %s has no data; the model has %s", Tid.hex(w.snapshot), oid, expected)
                    .isTrue();
            // A deleted object: its read tid is the deletion's if the storage still reports it
            // (history), or ZERO if it forgot the deletion (storages without history may).
            tid = expected == null ? Tid.ZERO : deletionReadTid(oid, expected.tid());
        }
        w.read.put(oid, tid);
        w.modelRead.put(oid, expected == null ? Tid.ZERO : expected.tid());
        return tid;
    }

    private long deletionReadTid(long oid, long deletionTid) {
        try {
            var h = s.history(oid, 1);
            return h.isEmpty() ? Tid.ZERO : deletionTid;
        } catch (PosKeyException e) {
            return Tid.ZERO;
        }
    }

    public void run(List<Step> schedule) {
        Writer[] writers = new Writer[3];
        for (int i = 0; i < writers.length; i++) writers[i] = new Writer();
        try {
            for (Step step : schedule) apply(writers[step.writer()], step);
        } finally {
            for (Writer w : writers) w.end();
        }
        verifyFinal();
    }

    private void begin(Writer w, Step step) {
        w.view = s.openView();
        w.snapshot = w.view.tid();
        assertThat(w.snapshot).isEqualTo(s.lastTid());
        w.txn = s.begin(TransactionMetadata.of("w" + step.writer(), "step " + counter));
    }

    private void apply(Writer w, Step step) {
        long oid = oids[step.object()];
        if (w.txn == null) {
            // an idle writer begins first: every step does something, so short schedules
            // already interleave whole transactions
            begin(w, step);
            if (step.kind() == Kind.BEGIN
                    || step.kind() == Kind.COMMIT
                    || step.kind() == Kind.ABORT
                    || step.kind() == Kind.VOTE_ABORT) {
                return;
            }
        }
        boolean active = true;
        switch (step.kind()) {
            case BEGIN -> {
                // already in a transaction: nothing to do
            }
            case READ -> {
                if (active) readThroughView(w, oid);
            }
            case STORE, DELETE -> {
                if (!active) return;
                long base = w.writeBase.containsKey(oid) ? w.writeBase.get(oid) : readThroughView(w, oid);
                byte[] data = step.kind() == Kind.STORE ? Records.object("v" + (++counter)) : null;
                if (data == null) w.txn.delete(oid, base);
                else w.txn.store(oid, base, data);
                w.writes.put(oid, data);
                w.writeBase.putIfAbsent(oid, base);
            }
            case CHECK -> {
                if (!active || !w.read.containsKey(oid)) return;
                w.txn.checkCurrent(oid, w.read.get(oid));
                w.checks.putIfAbsent(oid, w.read.get(oid));
            }
            case COMMIT -> {
                if (active) commit(w);
            }
            case ABORT -> {
                if (active) w.end();
            }
            case VOTE_ABORT -> {
                if (!active) return;
                long last = s.lastTid();
                Expected expected = expected(w);
                try {
                    w.txn.vote();
                    assertThat(expected.definite())
                            .as(
                                    "vote succeeded but the model expects a %s conflict",
                                    expected.write() ? "write" : "read")
                            .isFalse();
                } catch (ReadConflictException e) {
                    assertThat(expected.read() || expected.readMaybe())
                            .as(
                                    "read conflict reported at vote but the model expects %s",
                                    expected.write() ? "a write conflict" : "success")
                            .isTrue();
                } catch (ConflictException e) {
                    assertThat(expected.write() || expected.writeMaybe())
                            .as(
                                    "write conflict reported at vote (%s) but the model expects %s",
                                    e.getMessage(), expected.read() ? "a read conflict" : "success")
                            .isTrue();
                }
                w.end();
                assertThat(s.lastTid())
                        .as("a voted then aborted transaction left a trace")
                        .isEqualTo(last);
            }
        }
    }

    /**
     * What the model expects of a commit of {@code w}: definite conflicts must fail it. A stale
     * read of "no data" (read tid ZERO) against an object that is now deleted is ambiguous:
     * ZERO still says "no data", and a storage may accept it (temp:, mem:) or insist on the
     * deletion's tid.
     */
    private Expected expected(Writer w) {
        boolean writeConflict = false;
        boolean readConflict = false;
        boolean writeMaybe = false;
        boolean readMaybe = false;
        for (long oid : w.writeBase.keySet()) {
            int verdict = verdict(oid, w.writeBase.get(oid), w.modelRead.get(oid));
            writeConflict |= verdict == 2;
            writeMaybe |= verdict == 1;
        }
        for (long oid : w.checks.keySet()) {
            // (when a stale check and a stale store meet, the storage may report either kind)
            int verdict = verdict(oid, w.checks.get(oid), w.modelRead.get(oid));
            readConflict |= verdict == 2;
            readMaybe |= verdict == 1;
        }
        return new Expected(writeConflict, readConflict, writeMaybe, readMaybe);
    }

    /** Conflicts the model expects: definite ({@code write}, {@code read}) or allowed ({@code ...Maybe}). */
    private record Expected(boolean write, boolean read, boolean writeMaybe, boolean readMaybe) {
        boolean definite() {
            return write || read;
        }
    }

    private void commit(Writer w) {
        Expected expected = expected(w);
        boolean writeConflict = expected.write();
        boolean readConflict = expected.read();
        boolean writeMaybe = expected.writeMaybe();
        boolean readMaybe = expected.readMaybe();
        long last = s.lastTid();
        try {
            w.txn.vote();
            long tid = w.txn.finish();
            assertThat(writeConflict || readConflict)
                    .as("commit succeeded but the model expects a %s conflict", writeConflict ? "write" : "read")
                    .isFalse();
            // (an ambiguous stale "no data" read that the storage accepted: fine either way)
            assertThat(tid).isGreaterThan(last);
            List<Revision> revs = new ArrayList<>();
            for (Map.Entry<Long, byte[]> e : w.writes.entrySet()) {
                history.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(new Rev(tid, e.getValue()));
                revs.add(new Revision(e.getKey(), tid, e.getValue(), Tid.ZERO));
            }
            committed.add(new TransactionRecord(tid, false, w.txn.metadata(), revs));
            w.txn = null;
        } catch (ReadConflictException e) {
            assertThat(readConflict || readMaybe)
                    .as(
                            "read conflict reported but the model expects %s",
                            writeConflict ? "a write conflict" : "success")
                    .isTrue();
            assertThat(s.lastTid()).isEqualTo(last);
        } catch (ConflictException e) {
            assertThat(writeConflict || writeMaybe)
                    .as(
                            "write conflict reported (%s) but the model expects %s",
                            e.getMessage(), readConflict ? "a read conflict" : "success")
                    .isTrue();
            assertThat(s.lastTid()).isEqualTo(last);
        } finally {
            w.end();
        }
    }

    /** 0: current; 1: ambiguous (stale "no data" read of a now deleted object); 2: conflict. */
    private int verdict(long oid, long storageReadTid, long modelReadTid) {
        long current = currentTid(oid);
        if (current == modelReadTid) return 0;
        Rev head = revisionAt(oid, Tid.MAX);
        if (head != null && head.data() == null && storageReadTid == Tid.ZERO) return 1;
        return 2;
    }

    private void verifyFinal() {
        try (StorageView v = s.openView()) {
            for (long oid : oids) {
                Rev head = revisionAt(oid, Tid.MAX);
                if (head == null || head.data() == null) {
                    try {
                        s.load(oid);
                        throw new AssertionError("oid " + oid + " has data but the model has none");
                    } catch (PosKeyException expected) {
                        // as the model says
                    }
                    continue;
                }
                assertThat(s.load(oid).tid()).isEqualTo(head.tid());
                assertThat(s.load(oid).data()).isEqualTo(head.data());
                assertThat(v.load(oid).data()).isEqualTo(head.data());
            }
        }
        if (s.supports(Capability.HISTORY)) {
            assertThat(Kit.transactions(s)).isEqualTo(committed);
        }
    }
}
