package org.cairndb.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.cairndb.client.Persistent;
import org.cairndb.storage.Storage;

/**
 * The conflict-testing kit's entry point: declare a persistent class, its initial state and
 * its operations (each {@linkplain OpKind commutative, mergeable or non-mergeable}); get
 * random {@link Schedule}s of several connections from {@link #schedules()}; run one against
 * a storage with {@link #verify}. A jqwik property ties them together:
 *
 * <pre>{@code
 * static final ConflictCheck<Tally> CHECK = ConflictCheck.of(Tally.class, Tally::new)
 *         .observe(Tally::hits)
 *         .commutative("hit", Arbitraries.integers().between(1, 3), Tally::hit)
 *         .nonMergeable("reset", Tally::reset);
 *
 * @Property(tries = 50)
 * void tallyMerges(@ForAll("schedules") Schedule<Tally> schedule) {
 *     CHECK.verify("temp:", schedule);
 * }
 *
 * @Provide
 * Arbitrary<Schedule<Tally>> schedules() { return CHECK.schedules(); }
 * }</pre>
 *
 * <h2>What is checked</h2>
 * A schedule is executed step by step from the calling thread, each connection on its own
 * database handle and transaction manager, so it replays exactly when jqwik shrinks it. The
 * same operations are applied to a transient instance (made by the initial-state supplier) to
 * get the serial answer, and {@link #observe(Function) observed} values are compared:
 * <ul>
 * <li>no stale read: inside a transaction every operation sees the state of the
 *     transaction's snapshot (the commits before its begin, in commit order) plus its own
 *     operations;</li>
 * <li>serializability and no lost update: after every commit the stored state equals the
 *     committed transactions applied one after another in commit order (tids grow);</li>
 * <li>commutative operations merge: on a storage with conflict resolution no
 *     {@link org.cairndb.storage.ConflictException} reaches the application when every
 *     concurrent writer did only commutative operations; through {@code run(attempts, work)}
 *     no conflict ever reaches it;</li>
 * <li>non-mergeable operations conflict: a transaction that did one (or whose concurrent
 *     writer did one) may not commit over a concurrent write, and a failed commit leaves no
 *     trace;</li>
 * <li>no spurious conflict: a commit with no concurrent writer succeeds;</li>
 * <li>optional {@linkplain #invariant invariants} hold on the stored object after every commit.</li>
 * </ul>
 * A broken rule is a {@link ScheduleFailure} whose message holds the timeline of the run.
 *
 * <p>Instances are immutable after configuration and may be shared by properties; configure
 * once (for example in a static field) and call {@link #schedules()} per property.
 *
 * @param <S> the persistent class under test
 */
public final class ConflictCheck<S extends Persistent> {
    static final int DEFAULT_CONNECTIONS = 3;
    static final int DEFAULT_MAX_STEPS = 24;
    static final int DEFAULT_ATTEMPTS = 5;

    final Class<S> type;
    final Supplier<? extends S> initial;
    final List<Operation<S>> operations = new ArrayList<>();
    Function<? super S, ?> observer;
    final List<Consumer<? super S>> invariants = new ArrayList<>();
    int connections = DEFAULT_CONNECTIONS;
    int maxSteps = DEFAULT_MAX_STEPS;
    int attempts = DEFAULT_ATTEMPTS;

    private ConflictCheck(Class<S> type, Supplier<? extends S> initial) {
        this.type = type;
        this.initial = initial;
    }

    /**
     * A check of {@code type}, whose stored object starts as {@code initial} makes it. The
     * supplier is also called for every serial replay, so it must return a fresh, equal
     * object each time.
     */
    public static <S extends Persistent> ConflictCheck<S> of(Class<S> type, Supplier<? extends S> initial) {
        return new ConflictCheck<>(Objects.requireNonNull(type, "type"), Objects.requireNonNull(initial, "initial"));
    }

    /**
     * What to compare: a plain value (a number, a string, a {@code TreeMap} or {@code List}
     * copy) read from the object through its accessors. Values are compared with
     * {@code equals} and printed in the timeline.
     */
    public ConflictCheck<S> observe(Function<? super S, ?> observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        return this;
    }

    /** A check run on the stored object after every commit; it throws (any exception) when broken. */
    public ConflictCheck<S> invariant(Consumer<? super S> invariant) {
        invariants.add(Objects.requireNonNull(invariant, "invariant"));
        return this;
    }

    /** An operation taking an argument drawn from {@code arguments}. */
    public <A> ConflictCheck<S> operation(
            String name, OpKind kind, Arbitrary<A> arguments, BiConsumer<S, ? super A> action) {
        Objects.requireNonNull(
                arguments, "arguments (use the overload without arguments for operations that take none)");
        return add(new Operation<S>(name, kind, arguments, action));
    }

    /** An operation without an argument. */
    public ConflictCheck<S> operation(String name, OpKind kind, Consumer<S> action) {
        Objects.requireNonNull(action, "action");
        return add(new Operation<S>(name, kind, null, (S s, Object ignored) -> action.accept(s)));
    }

    public <A> ConflictCheck<S> commutative(String name, Arbitrary<A> arguments, BiConsumer<S, ? super A> action) {
        return operation(name, OpKind.COMMUTATIVE, arguments, action);
    }

    public ConflictCheck<S> commutative(String name, Consumer<S> action) {
        return operation(name, OpKind.COMMUTATIVE, action);
    }

    public <A> ConflictCheck<S> mergeable(String name, Arbitrary<A> arguments, BiConsumer<S, ? super A> action) {
        return operation(name, OpKind.MERGEABLE, arguments, action);
    }

    public ConflictCheck<S> mergeable(String name, Consumer<S> action) {
        return operation(name, OpKind.MERGEABLE, action);
    }

    public <A> ConflictCheck<S> nonMergeable(String name, Arbitrary<A> arguments, BiConsumer<S, ? super A> action) {
        return operation(name, OpKind.NON_MERGEABLE, arguments, action);
    }

    public ConflictCheck<S> nonMergeable(String name, Consumer<S> action) {
        return operation(name, OpKind.NON_MERGEABLE, action);
    }

    /**
     * An operation whose argument is a timestamp: the logical time of its step (its position
     * in the schedule, from 1), so later steps pass larger values, as clocks and sequence
     * numbers do. Concurrent transactions then append keys beyond everything in their
     * snapshots without ever choosing the same one: the workload of time-ordered indexes.
     */
    public ConflictCheck<S> timestamped(String name, OpKind kind, BiConsumer<S, Long> action) {
        Objects.requireNonNull(action, "action");
        return add(new Operation<S>(name, kind, Arbitraries.just(0L), action, true));
    }

    /** How many connections a schedule interleaves (default 3). */
    public ConflictCheck<S> connections(int connections) {
        if (connections < 1 || connections > 9) {
            throw new IllegalArgumentException("connections must be 1..9, was " + connections);
        }
        this.connections = connections;
        return this;
    }

    /** The longest schedule generated (default 24 steps). */
    public ConflictCheck<S> maxSteps(int maxSteps) {
        if (maxSteps < 1) throw new IllegalArgumentException("maxSteps must be at least 1, was " + maxSteps);
        this.maxSteps = maxSteps;
        return this;
    }

    /** Attempts given to {@code run(attempts, work)} for run-transactions (default 5). */
    public ConflictCheck<S> attempts(int attempts) {
        if (attempts < 2)
            throw new IllegalArgumentException(
                    "attempts must be at least 2 (a disturbed first attempt must be retryable), was " + attempts);
        this.attempts = attempts;
        return this;
    }

    private ConflictCheck<S> add(Operation<S> op) {
        for (Operation<S> o : operations) {
            if (o.name().equals(op.name()))
                throw new IllegalArgumentException("operation '" + op.name() + "' is declared twice");
        }
        operations.add(op);
        return this;
    }

    /**
     * Random schedules: up to {@link #maxSteps} steps, each an operation of a random
     * connection (most often), a commit, an abort, or the begin of a transaction that runs
     * through {@code run(...)}. jqwik shrinks them to fewer steps, lower connection numbers
     * and simpler arguments.
     */
    public Arbitrary<Schedule<S>> schedules() {
        checkConfigured();
        Arbitrary<Integer> conn = Arbitraries.integers().between(0, connections - 1);
        List<Arbitrary<Step>> ops = new ArrayList<>();
        for (Operation<S> op : operations) {
            if (op.timestamped()) {
                ops.add(conn.map(c -> Step.op(c, op, 0L)));
            } else if (op.takesArgument()) {
                ops.add(Combinators.combine(conn, op.arguments()).as((c, a) -> Step.op(c, op, a)));
            } else {
                ops.add(conn.map(c -> Step.op(c, op, null)));
            }
        }
        Arbitrary<Step> opStep = ops.size() == 1 ? ops.get(0) : Arbitraries.oneOf(ops);
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                Tuple.of(10, opStep),
                Tuple.of(4, conn.map(c -> Step.of(c, Step.Action.COMMIT))),
                Tuple.of(1, conn.map(c -> Step.of(c, Step.Action.ABORT))),
                Tuple.of(2, conn.map(c -> Step.of(c, Step.Action.BEGIN_RUN))));
        int n = connections;
        return step.list().ofMinSize(1).ofMaxSize(maxSteps).map(steps -> new Schedule<S>(stamp(steps), n));
    }

    /** Gives the steps of timestamped operations their logical time. */
    private static List<Step> stamp(List<Step> steps) {
        List<Step> out = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            boolean clock = s.action() == Step.Action.OP && s.operation().timestamped();
            out.add(clock ? Step.op(s.connection(), s.operation(), (long) (i + 1)) : s);
        }
        return out;
    }

    /**
     * Runs {@code schedule} on the storage at {@code uri}. The storage is opened on first use
     * and shared by every later run in this JVM with the same URI (closed when the JVM exits):
     * each run works on a new object of its own, so runs cannot disturb each other, and a
     * property does not pay for opening a storage per try.
     *
     * @throws ScheduleFailure when a rule is broken, with the timeline in its message
     */
    public void verify(String uri, Schedule<S> schedule) {
        verify(SharedStorages.get(uri), schedule);
    }

    /**
     * Runs {@code schedule} on an open storage (left open: share one storage between tries;
     * each run works on a new object of its own).
     *
     * @throws ScheduleFailure when a rule is broken, with the timeline in its message
     */
    public void verify(Storage storage, Schedule<S> schedule) {
        checkConfigured();
        new ScheduleRunner<>(this, storage, schedule).run();
    }

    private void checkConfigured() {
        if (operations.isEmpty()) {
            throw new IllegalStateException(
                    "ConflictCheck of " + type.getName() + " has no operations: declare some with"
                            + " commutative(...), mergeable(...) or nonMergeable(...)");
        }
        if (observer == null) {
            throw new IllegalStateException(
                    "ConflictCheck of " + type.getName() + " has no observer: say what to compare"
                            + " with observe(obj -> plain value), e.g. observe(Counter::get)");
        }
    }
}
