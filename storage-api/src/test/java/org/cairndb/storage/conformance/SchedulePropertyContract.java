package org.cairndb.storage.conformance;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ArbitrarySupplier;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.cairndb.storage.Storage;

/**
 * A jqwik property over random schedules: two or three logical writers interleave begin,
 * snapshot reads, stores, checkCurrents, commits (vote + finish) and aborts (some after vote)
 * on a few objects, run deterministically on one thread, and every outcome (which commits
 * succeed, which fail and with which conflict, what each snapshot reads, the final state and
 * the iterated history) must equal a first-committer-wins model (see {@link ScheduleModel}).
 * jqwik shrinks a failing schedule to a minimal one.
 *
 * <p>The default run is small (the kit runs once per storage); {@code -Pexhaustive} (system
 * property {@code cairn.exhaustive=true}) adds a long run.
 */
public interface SchedulePropertyContract extends StorageContract {

    @Property(tries = 40)
    default void randomSchedules_matchFirstCommitterWinsModel(
            @ForAll(supplier = Schedules.class) List<ScheduleModel.Step> schedule) {
        runSchedule(schedule);
    }

    @Property(tries = 1500)
    @AddLifecycleHook(ExhaustiveOnly.class)
    default void randomSchedules_matchModel_exhaustive(
            @ForAll(supplier = LongSchedules.class) List<ScheduleModel.Step> schedule) {
        runSchedule(schedule);
    }

    private void runSchedule(List<ScheduleModel.Step> schedule) {
        try (StorageFixture f = fixture()) {
            Storage s = f.open();
            try {
                new ScheduleModel(s).run(schedule);
            } finally {
                s.close();
            }
        }
    }

    /** Schedules of up to 40 steps over 3 writers and 2 objects. */
    class Schedules implements ArbitrarySupplier<List<ScheduleModel.Step>> {
        @Override
        public Arbitrary<List<ScheduleModel.Step>> get() {
            return steps(3, 40);
        }
    }

    /** Longer schedules for the exhaustive run. */
    class LongSchedules implements ArbitrarySupplier<List<ScheduleModel.Step>> {
        @Override
        public Arbitrary<List<ScheduleModel.Step>> get() {
            return steps(3, 120);
        }
    }

    static Arbitrary<List<ScheduleModel.Step>> steps(int writers, int maxSteps) {
        Arbitrary<ScheduleModel.Kind> kind = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.just(ScheduleModel.Kind.BEGIN)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(ScheduleModel.Kind.READ)),
                net.jqwik.api.Tuple.of(5, Arbitraries.just(ScheduleModel.Kind.STORE)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(ScheduleModel.Kind.DELETE)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(ScheduleModel.Kind.CHECK)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(ScheduleModel.Kind.COMMIT)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(ScheduleModel.Kind.ABORT)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(ScheduleModel.Kind.VOTE_ABORT)));
        Arbitrary<ScheduleModel.Step> step = Combinators.combine(
                        kind,
                        Arbitraries.integers().between(0, writers - 1),
                        Arbitraries.integers().between(0, ScheduleModel.OBJECTS - 1))
                .as(ScheduleModel.Step::new);
        return step.list().ofMinSize(6).ofMaxSize(maxSteps);
    }

    /** Skips a property unless {@code cairn.exhaustive=true} (the exhaustive Maven profile). */
    class ExhaustiveOnly implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return Boolean.getBoolean("cairn.exhaustive")
                    ? SkipResult.doNotSkip()
                    : SkipResult.skip("long run: only with -Pexhaustive (cairn.exhaustive=true)");
        }
    }
}
