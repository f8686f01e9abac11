package org.cairndb.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.Persistent;
import org.cairndb.client.TransactionManager;
import org.cairndb.storage.Capability;
import org.cairndb.storage.Oid;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.Tid;
import org.cairndb.testkit.SerialModel.Applied;
import org.cairndb.testkit.SerialModel.Committed;

/**
 * Executes one {@link Schedule} against a storage and checks every rule of
 * {@link ConflictCheck} as it goes.
 *
 * <h2>Determinism</h2>
 * Everything runs on the calling thread. Each connection comes from its own {@link Database}
 * handle over the shared storage, so each has its own {@link TransactionManager}: one thread
 * can hold several transactions open at once and commit them in the order the schedule says.
 * A transaction begun with {@code BEGIN_RUN} runs inside {@code run(attempts, work)}; its
 * work executes the following steps of every connection until that connection's commit, so
 * other connections can commit underneath it and force a real conflict and retry, which then
 * re-applies the same operations on a fresh snapshot. With no thread racing, the same
 * schedule always produces the same run, which is what makes jqwik's shrinking meaningful.
 *
 * <h2>The model</h2>
 * The serial answer is computed by applying operations to a transient instance from the
 * initial-state supplier: the committed transactions in commit order for the stored state,
 * and the commits before a transaction's snapshot plus its own operations for what that
 * transaction must read. Replays start from scratch each time; schedules are short.
 *
 * <h2>Why over 400 lines</h2>
 * One job: run a schedule step by step and check each rule at the step where it can break.
 * The rules need the run's whole state (open transactions, commit order, the witnesses of the
 * stored state), and the model ({@link SerialModel}), the timeline ({@link Timeline}) and the
 * failure ({@link ScheduleFailure}) are already classes of their own.
 *
 * <h2>Alternatives rejected</h2>
 * Racing real threads finds more timing bugs per second but cannot replay a failure, and
 * shrinking a schedule whose outcome depends on the scheduler only produces noise. Checking
 * only the final state would miss stale reads and transient half-applied states that a later
 * commit happens to paper over.
 */
final class ScheduleRunner<S extends Persistent> {
    private final ConflictCheck<S> check;
    private final Storage storage;
    private final Schedule<S> schedule;
    private final SerialModel<S> model;
    private final List<Step> steps;
    private final boolean resolves;
    private final Timeline timeline;

    private final List<Database> databases = new ArrayList<>();
    private final Connection[] conns;
    private final Txn[] open;
    private Connection checker;
    private long oid = -1;
    private int cursor;
    private boolean runOpen;
    /** The step at which the open run's transaction ended (its commit or abort step, or "end"), for the timeline. */
    private String runEnd;

    private final List<Committed> committed = new ArrayList<>();
    private long lastCommitTid = Tid.ZERO;
    private long setupTid;

    /** The serial order found to explain the stored state after each number of commits (index 0: none). */
    private final List<List<Committed>> witnesses = new ArrayList<>(List.of(List.of()));

    /** A connection's open transaction. */
    private static final class Txn {
        final boolean run;
        int snapshot;
        long snapshotTid;
        final List<Applied> ops = new ArrayList<>();

        Txn(boolean run) {
            this.run = run;
        }

        boolean nonMergeable() {
            for (Applied a : ops) if (a.op().kind() == OpKind.NON_MERGEABLE) return true;
            return false;
        }

        boolean allCommutative() {
            for (Applied a : ops) if (a.op().kind() != OpKind.COMMUTATIVE) return false;
            return true;
        }
    }

    /** Thrown by run-work for an ABORT step: the transaction manager aborts and rethrows it. */
    private static final class Rollback extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Rollback() {
            super("abort step of the schedule", null, false, false);
        }
    }

    ScheduleRunner(ConflictCheck<S> check, Storage storage, Schedule<S> schedule) {
        this.check = check;
        this.storage = storage;
        this.schedule = schedule;
        this.model = new SerialModel<>(check);
        this.steps = schedule.steps();
        this.resolves = storage.supports(Capability.CONFLICT_RESOLUTION);
        int n = Math.max(check.connections, maxConnection(schedule) + 1);
        this.conns = new Connection[n];
        this.open = new Txn[n];
        this.timeline = new Timeline("schedule of " + steps.size() + " steps on " + storage.name() + " ("
                + (resolves ? "resolves conflicts" : "does not resolve conflicts") + "), " + n + " connections, "
                + check.type.getSimpleName() + " initially " + model.observe(List.of()));
    }

    private static int maxConnection(Schedule<?> s) {
        int max = 0;
        for (Step st : s.steps()) max = Math.max(max, st.connection());
        return max;
    }

    void run() {
        try {
            setUp();
            while (cursor < steps.size()) {
                exec(steps.get(cursor), cursor++);
            }
            for (int c = 0; c < open.length; c++) {
                if (open[c] != null) commitExplicit(c, "end");
            }
            Object end = readStored("after the last step");
            if (!Objects.equals(end, model.observe(SerialModel.opsOf(witness())))) {
                throw fail("after the last step the stored state changed to " + end + " without a commit", null);
            }
            List<Long> ours = new ArrayList<>();
            ours.add(setupTid);
            for (Committed w : committed) if (w.wrote()) ours.add(w.tid());
            String broken = LogReplay.check(storage, setupTid, lastCommitTid, oid, ours);
            if (broken != null) throw fail("serial replay: " + broken, null);
        } catch (ScheduleFailure f) {
            throw f;
        } catch (RuntimeException | Error e) {
            throw fail("the run failed with an unexpected " + e.getClass().getName() + ": " + e.getMessage(), e);
        } finally {
            tearDown();
        }
    }

    // ---- set-up and tear-down ----

    private void setUp() {
        Database setupDb = open();
        checker = setupDb.open();
        TransactionManager tm = checker.transactionManager();
        tm.begin();
        S target = checker.add(check.initial.get());
        tm.commit();
        oid = target.oid();
        lastCommitTid = storage.lastTid();
        setupTid = lastCommitTid;
        timeline.row(
                "0",
                -1,
                "create " + check.type.getSimpleName() + " oid " + Oid.describe(oid),
                tid(lastCommitTid),
                null,
                model.observe(List.of()),
                null);
        for (int c = 0; c < conns.length; c++) conns[c] = open().open();
    }

    private Database open() {
        Database db = Database.open(storage);
        databases.add(db);
        return db;
    }

    private void tearDown() {
        for (int c = 0; c < conns.length; c++) {
            if (conns[c] != null) quietly(conns[c]);
        }
        if (checker != null) quietly(checker);
        for (Database db : databases) db.close();
    }

    private static void quietly(Connection conn) {
        try {
            conn.transactionManager().abort();
        } catch (RuntimeException ignored) {
            // cleaning up after a failure: the failure is what matters
        }
        try {
            conn.close();
        } catch (RuntimeException ignored) {
            // idem
        }
    }

    // ---- steps ----

    private void exec(Step s, int index) {
        int c = s.connection();
        String at = String.valueOf(index + 1);
        switch (s.action()) {
            case OP -> {
                if (open[c] == null) beginExplicit(c, at);
                applyOp(c, s.operation(), s.argument(), at);
            }
            case BEGIN_RUN -> {
                if (open[c] != null) {
                    timeline.row(at, c, "begin run", null, null, null, "ignored: a transaction is open");
                } else if (runOpen) {
                    beginExplicit(c, at);
                    timeline.markLast("as a plain begin: a run is already in progress");
                } else {
                    runTransaction(c, at);
                }
            }
            case COMMIT -> {
                if (open[c] == null) timeline.row(at, c, "commit", null, null, null, "nothing open: no-op");
                else commitExplicit(c, at);
            }
            case ABORT -> {
                if (open[c] == null) {
                    timeline.row(at, c, "abort", null, null, null, "nothing open: no-op");
                } else {
                    conns[c].transactionManager().abort();
                    open[c] = null;
                    timeline.row(at, c, "abort", null, null, null, null);
                }
            }
        }
    }

    private void beginExplicit(int c, String at) {
        conns[c].transactionManager().begin();
        Txn t = new Txn(false);
        t.snapshot = committed.size();
        t.snapshotTid = conns[c].snapshotTid();
        open[c] = t;
        timeline.row(
                at, c, "begin", "@" + tid(t.snapshotTid), null, null, "snapshot after " + committedCount(t.snapshot));
    }

    private void applyOp(int c, Operation<?> op, Object arg, String at) {
        Txn t = open[c];
        @SuppressWarnings("unchecked")
        Operation<S> o = (Operation<S>) op;
        S obj;
        Object before;
        try {
            obj = conns[c].get(oid);
            before = check.observer.apply(obj);
        } catch (RetryableException e) {
            if (t.run) throw e;
            throw fail("c" + (c + 1) + " could not read " + Oid.describe(oid) + " inside its transaction: " + e, e);
        }
        Object expectedBefore = observeView(t, null);
        if (!Objects.equals(before, expectedBefore)) {
            timeline.row(at, c, o.call(arg), null, before, null, "STALE READ");
            throw fail(
                    "stale read: c" + (c + 1) + " read " + before + " inside its transaction, but its snapshot ("
                            + committedCount(t.snapshot) + ") plus its own operations is " + expectedBefore,
                    null);
        }
        try {
            o.apply(obj, arg);
        } catch (RetryableException e) {
            if (t.run) throw e;
            throw fail("c" + (c + 1) + " " + o.call(arg) + " met " + e, e);
        } catch (RuntimeException e) {
            timeline.row(at, c, o.call(arg), null, before, null, "THREW " + e);
            throw fail("operation " + o.call(arg) + " threw " + e, e);
        }
        t.ops.add(new Applied(o, arg));
        Object after = check.observer.apply(obj);
        Object expectedAfter = observeView(t, null);
        timeline.row(at, c, o.call(arg), null, before, after, null);
        if (!Objects.equals(after, expectedAfter)) {
            timeline.markLast("WRONG");
            throw fail(
                    "c" + (c + 1) + " read " + after + " right after " + o.call(arg) + ", but applying it to what the"
                            + " transaction saw gives " + expectedAfter,
                    null);
        }
    }

    private void commitExplicit(int c, String at) {
        Txn t = open[c];
        Object dbBefore = model.observe(SerialModel.opsOf(witness()));
        long last = storage.lastTid();
        try {
            conns[c].transactionManager().commit();
        } catch (RetryableException e) {
            open[c] = null;
            String when = "after c" + (c + 1) + "'s commit failed with a conflict";
            Object stored = readStored(when);
            timeline.row(
                    at,
                    c,
                    "commit",
                    null,
                    dbBefore,
                    stored,
                    "CONFLICT " + e.getClass().getSimpleName());
            conflicted(c, t, e);
            Object expected = model.observe(SerialModel.opsOf(witness()));
            if (!Objects.equals(stored, expected)) {
                timeline.markLast("HALF-APPLIED");
                throw fail(
                        "half-applied: " + when + " the stored state is " + stored + " instead of " + expected
                                + " (a failed commit must leave no trace)",
                        e);
            }
            return;
        }
        open[c] = null;
        committedNow(c, t, at, last, dbBefore, "commit");
    }

    private void runTransaction(int c, String at) {
        Txn[] current = new Txn[1];
        Txn[] previous = new Txn[1];
        List<Applied> firstOps = new ArrayList<>();
        int[] attempt = {0};
        long[] last = {0};
        Object[] dbBefore = {null};
        runOpen = true;
        timeline.row(at, c, "begin run", null, null, null, "run(" + check.attempts + ", work)");
        try {
            conns[c].transactionManager().run(check.attempts, () -> {
                attempt[0]++;
                Txn t = new Txn(true);
                t.snapshot = committed.size();
                t.snapshotTid = conns[c].snapshotTid();
                if (current[0] != null) previous[0] = current[0];
                current[0] = t;
                open[c] = t;
                if (attempt[0] == 1) {
                    timeline.row(
                            at,
                            c,
                            "run attempt 1",
                            "@" + tid(t.snapshotTid),
                            null,
                            null,
                            "snapshot after " + committedCount(t.snapshot));
                    runFirstAttempt(c, firstOps);
                } else {
                    timeline.row(
                            runEnd,
                            c,
                            "run attempt " + attempt[0],
                            "@" + tid(t.snapshotTid),
                            null,
                            null,
                            "previous attempt conflicted: retried on snapshot after " + committedCount(t.snapshot));
                    retried(c, previous[0]);
                    for (Applied a : firstOps) applyOp(c, a.op(), a.arg(), runEnd);
                }
                dbBefore[0] = model.observe(SerialModel.opsOf(witness()));
                last[0] = storage.lastTid();
            });
        } catch (Rollback r) {
            open[c] = null;
            runOpen = false;
            timeline.row(runEnd, c, "run ends", null, null, null, "aborted by an abort step");
            return;
        } catch (RetryableException e) {
            open[c] = null;
            runOpen = false;
            timeline.row(
                    runEnd,
                    c,
                    "run ends",
                    null,
                    null,
                    null,
                    "CONFLICT " + e.getClass().getSimpleName());
            throw fail(
                    "a " + e.getClass().getSimpleName() + " reached the application through run(" + check.attempts
                            + ", work): a retry on a fresh snapshot must succeed when nobody commits in between",
                    e);
        }
        open[c] = null;
        runOpen = false;
        committedNow(c, current[0], runEnd, last[0], dbBefore[0], "run commits");
    }

    /** The first attempt of a run executes the following steps of every connection until this one's commit or abort. */
    private void runFirstAttempt(int c, List<Applied> firstOps) {
        runEnd = "end";
        while (cursor < steps.size()) {
            int index = cursor++;
            Step s = steps.get(index);
            if (s.connection() != c) {
                exec(s, index);
                continue;
            }
            String at = String.valueOf(index + 1);
            switch (s.action()) {
                case OP -> {
                    applyOp(c, s.operation(), s.argument(), at);
                    firstOps.add(new Applied(s.operation(), s.argument()));
                }
                case COMMIT -> {
                    runEnd = at;
                    return;
                }
                case ABORT -> {
                    runEnd = at;
                    throw new Rollback();
                }
                case BEGIN_RUN -> timeline.row(at, c, "begin run", null, null, null, "ignored: a transaction is open");
            }
        }
    }

    // ---- outcome checks ----

    private void committedNow(int c, Txn t, String at, long lastBefore, Object dbBefore, String event) {
        long tid = storage.lastTid();
        boolean wrote = tid != lastBefore;
        if (wrote && Long.compareUnsigned(tid, lastCommitTid) <= 0) {
            timeline.row(at, c, event, tid(tid), dbBefore, null, "TID DID NOT GROW");
            throw fail(
                    "commit tid " + tid(tid) + " is not greater than the previous commit's " + tid(lastCommitTid),
                    null);
        }
        List<Committed> concurrent = concurrentWriters(t);
        String when = "after c" + (c + 1) + "'s commit";
        // A transaction that wrote nothing only read: it serializes at its snapshot, where its operations (checked
        // against the model as they ran) changed nothing; replaying them at its commit position would be wrong.
        committed.add(new Committed(
                committed.size(),
                c,
                wrote ? tid : Tid.ZERO,
                t.snapshot,
                wrote ? List.copyOf(t.ops) : List.of(),
                t.nonMergeable(),
                t.allCommutative()));
        if (wrote) lastCommitTid = tid;
        Object stored = readStored(when);
        timeline.row(
                at,
                c,
                event,
                wrote ? tid(tid) : "(no write)",
                dbBefore,
                stored,
                concurrent.isEmpty() || !wrote ? null : "over " + concurrent.size() + " concurrent commit(s)");
        if (wrote && !concurrent.isEmpty()) {
            boolean nonMergeable = t.nonMergeable();
            for (Committed w : concurrent) nonMergeable |= w.nonMergeable();
            if (nonMergeable) {
                timeline.markLast("SHOULD HAVE CONFLICTED");
                throw fail(
                        "c" + (c + 1) + " committed over a concurrent write although a non-mergeable operation was"
                                + " involved (" + describeOps(t.ops) + " against " + describeCommits(concurrent)
                                + "): the commit must fail with a ConflictException",
                        null);
            }
        }
        explainStored(at, c, when, stored);
    }

    private void conflicted(int c, Txn t, RetryableException e) {
        List<Committed> concurrent = concurrentWriters(t);
        if (concurrent.isEmpty()) {
            throw fail(
                    "spurious conflict: c" + (c + 1) + "'s commit failed with "
                            + e.getClass().getSimpleName() + " but nobody committed a write since its snapshot",
                    e);
        }
        boolean commutative = t.allCommutative();
        for (Committed w : concurrent) commutative &= w.allCommutative();
        if (commutative && resolves) {
            throw fail(
                    "a ConflictException reached the application although every concurrent change was declared"
                            + " commutative (" + describeOps(t.ops) + " against " + describeCommits(concurrent)
                            + ") and "
                            + storage.name() + " resolves conflicts: the resolver did not merge them",
                    e);
        }
    }

    /** A run attempt failed with a conflict (the manager retried): it must have had a reason. */
    private void retried(int c, Txn failed) {
        List<Committed> concurrent = concurrentWriters(failed);
        if (concurrent.isEmpty()) {
            throw fail(
                    "spurious conflict: c" + (c + 1) + "'s run attempt failed with a conflict and was retried, but"
                            + " nobody committed a write since its snapshot",
                    null);
        }
        boolean commutative = failed.allCommutative();
        for (Committed w : concurrent) commutative &= w.allCommutative();
        if (commutative && resolves) {
            throw fail(
                    "c" + (c + 1)
                            + "'s run attempt conflicted although every concurrent change was declared commutative ("
                            + describeOps(failed.ops) + " against " + describeCommits(concurrent) + ") and "
                            + storage.name()
                            + " resolves conflicts: the resolver did not merge them (run hid it by retrying)",
                    null);
        }
    }

    private List<Committed> concurrentWriters(Txn t) {
        List<Committed> out = new ArrayList<>();
        for (int i = t.snapshot; i < committed.size(); i++) {
            if (committed.get(i).wrote()) out.add(committed.get(i));
        }
        return out;
    }

    /** Reads the stored object on a fresh snapshot (checking the invariants on it) and returns its observed value. */
    private Object readStored(String when) {
        TransactionManager tm = checker.transactionManager();
        tm.begin();
        try {
            S obj = checker.get(oid);
            Object stored = check.observer.apply(obj);
            for (java.util.function.Consumer<? super S> inv : check.invariants) {
                try {
                    inv.accept(obj);
                } catch (RuntimeException | AssertionError e) {
                    throw fail("invariant broken " + when + " (stored state " + stored + "): " + e.getMessage(), e);
                }
            }
            return stored;
        } finally {
            tm.abort();
        }
    }

    /**
     * The stored state after a commit must be what some serial order of the committed
     * transactions gives, an order that keeps every transaction after those that had
     * committed before it began. The order found becomes the model of later snapshots.
     */
    private void explainStored(String at, int c, String when, Object stored) {
        List<Committed> order = model.findOrder(committed, witness(), stored);
        if (order == null) {
            timeline.row(
                    at,
                    c,
                    "stored state",
                    null,
                    null,
                    stored,
                    "expected " + model.observe(SerialModel.opsOf(commitOrder())));
            throw fail(
                    "lost update or wrong merge: " + when + " the stored state is " + stored + ", but no serial order"
                            + " of the committed transactions allowed by their commit order gives it (in commit order they give "
                            + model.observe(SerialModel.opsOf(commitOrder())) + ")",
                    null);
        }
        witnesses.add(order);
    }

    private List<Committed> witness() {
        return witnesses.get(witnesses.size() - 1);
    }

    private List<Committed> commitOrder() {
        return SerialModel.writers(committed);
    }

    // ---- the serial model ----

    private Object observeView(Txn t, Applied extra) {
        List<Applied> ops = SerialModel.opsOf(witnesses.get(t.snapshot));
        ops.addAll(t.ops);
        if (extra != null) ops.add(extra);
        return model.observe(ops);
    }

    // ---- messages ----

    private String committedCount(int n) {
        if (n == 0) return "no commit";
        Committed last = committed.get(n - 1);
        return n + " commit" + (n == 1 ? "" : "s") + " (last by c" + (last.conn() + 1) + ")";
    }

    private static String describeOps(List<Applied> ops) {
        StringBuilder sb = new StringBuilder();
        for (Applied a : ops) {
            if (sb.length() > 0) sb.append(", ");
            sb.append(a.op().call(a.arg()));
        }
        return sb.length() == 0 ? "nothing" : sb.toString();
    }

    private static String describeCommits(List<Committed> commits) {
        StringBuilder sb = new StringBuilder();
        for (Committed w : commits) {
            if (sb.length() > 0) sb.append("; ");
            sb.append("c")
                    .append(w.conn() + 1)
                    .append(" at ")
                    .append(tid(w.tid()))
                    .append(": ")
                    .append(describeOps(w.ops()));
        }
        return sb.toString();
    }

    /** A tid as its 16 hex digits (the timeline's column; the time it encodes adds nothing to a schedule). */
    private static String tid(long tid) {
        return Tid.hex(tid);
    }

    private ScheduleFailure fail(String rule, Throwable cause) {
        return new ScheduleFailure(rule, schedule, timeline.render(), cause);
    }
}
