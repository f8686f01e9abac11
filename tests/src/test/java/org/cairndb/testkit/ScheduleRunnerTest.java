package org.cairndb.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import org.cairndb.client.collections.Counter;
import org.cairndb.client.collections.PersistentList;
import org.cairndb.testkit.planted.ForgetfulReader;
import org.junit.jupiter.api.Test;

/** Hand-written schedules: each path of the runner (retries, conflicts, stale reads) is taken and reported. */
class ScheduleRunnerTest {
    static final ConflictCheck<Counter> COUNTER = ConflictCheck.of(Counter.class, Counter::new)
            .observe(Counter::get)
            .commutative("add", Arbitraries.longs().between(1, 5), Counter::add);

    @SuppressWarnings({"unchecked", "rawtypes"})
    static final ConflictCheck<PersistentList<Integer>> LIST = ConflictCheck.of(
                    (Class<PersistentList<Integer>>) (Class) PersistentList.class, PersistentList<Integer>::new)
            .observe(l -> new ArrayList<>(l))
            .nonMergeable("append", Arbitraries.integers().between(0, 9), List::add);

    static final ConflictCheck<ForgetfulReader> FORGETFUL = ConflictCheck.of(
                    ForgetfulReader.class, ForgetfulReader::new)
            .observe(ForgetfulReader::get)
            .commutative("add", Arbitraries.longs().between(1, 5), ForgetfulReader::add);

    private static <S> Schedule<S> schedule(Step... steps) {
        return new Schedule<>(List.of(steps), 3);
    }

    private static Step op(int conn, ConflictCheck<?> check, Object arg) {
        return Step.op(conn, check.operations.get(0), arg);
    }

    @Test
    void run_disturbedOnStorageWithoutResolution_retriesAndPasses() {
        Schedule<Counter> s = schedule(
                Step.of(0, Step.Action.BEGIN_RUN),
                op(0, COUNTER, 1L),
                op(1, COUNTER, 2L),
                Step.of(1, Step.Action.COMMIT),
                Step.of(0, Step.Action.COMMIT));
        COUNTER.verify("mem:", s); // c1's first attempt conflicts on mem: and is retried on a fresh snapshot
    }

    @Test
    void commit_concurrentCommutativeOnMem_conflictAllowed() {
        Schedule<Counter> s = schedule(
                op(0, COUNTER, 1L), op(1, COUNTER, 2L), Step.of(0, Step.Action.COMMIT), Step.of(1, Step.Action.COMMIT));
        COUNTER.verify("mem:", s);
    }

    @Test
    void commit_nonMergeableConcurrent_conflictReportedNothingHalfApplied() {
        Schedule<PersistentList<Integer>> s = schedule(
                op(0, LIST, 1), op(1, LIST, 2), Step.of(0, Step.Action.COMMIT), Step.of(1, Step.Action.COMMIT));
        LIST.verify("temp:", s);
    }

    @Test
    void read_ghostWithoutActivate_caught() {
        // the getter reads a ghost's cleared field: the state read back after c1's commit is 0, not 1
        Schedule<ForgetfulReader> s =
                schedule(op(0, FORGETFUL, 1L), Step.of(0, Step.Action.COMMIT), op(1, FORGETFUL, 1L));
        assertThatThrownBy(() -> FORGETFUL.verify("temp:", s))
                .isInstanceOf(ScheduleFailure.class)
                .satisfies(e -> assertThat(((ScheduleFailure) e).rule()).contains("the stored state is 0"));
    }

    @Test
    void timeline_showsRetryAndConflict() {
        Schedule<PersistentList<Integer>> s = schedule(
                Step.of(0, Step.Action.BEGIN_RUN),
                op(0, LIST, 1),
                op(1, LIST, 2),
                Step.of(1, Step.Action.COMMIT),
                Step.of(0, Step.Action.COMMIT),
                op(2, LIST, 3),
                op(1, LIST, 4),
                Step.of(2, Step.Action.COMMIT),
                Step.of(1, Step.Action.COMMIT));
        // passes: c1's run is retried after c2's commit; c2's second transaction conflicts with c3's
        LIST.verify("temp:", s);
        // and a planted failure shows both in its timeline
        ConflictCheck<PersistentList<Integer>> wrong = ConflictCheck.of(LIST.type, LIST.initial)
                .observe(l -> new ArrayList<>(l))
                .invariant(l -> {
                    if (l.size() >= 4) throw new IllegalStateException("four elements");
                })
                .nonMergeable("append", Arbitraries.integers().between(0, 9), List::add);
        Schedule<PersistentList<Integer>> s2 = new Schedule<>(
                List.of(
                        Step.of(0, Step.Action.BEGIN_RUN),
                        Step.op(0, wrong.operations.get(0), 1),
                        Step.op(1, wrong.operations.get(0), 2),
                        Step.of(1, Step.Action.COMMIT),
                        Step.of(0, Step.Action.COMMIT),
                        Step.op(2, wrong.operations.get(0), 3),
                        Step.op(1, wrong.operations.get(0), 4),
                        Step.of(2, Step.Action.COMMIT),
                        Step.of(1, Step.Action.COMMIT),
                        Step.op(1, wrong.operations.get(0), 5),
                        Step.of(1, Step.Action.COMMIT)),
                3);
        assertThatThrownBy(() -> wrong.verify("temp:", s2))
                .isInstanceOf(ScheduleFailure.class)
                .satisfies(e -> assertThat(((ScheduleFailure) e).rule()).contains("invariant broken"))
                .satisfies(e -> assertThat(((ScheduleFailure) e).timeline())
                        .contains("run attempt 2")
                        .contains("CONFLICT"));
    }
}
