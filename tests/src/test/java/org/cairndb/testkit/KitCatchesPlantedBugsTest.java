package org.cairndb.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.ArrayList;
import java.util.List;
import org.cairndb.testkit.planted.PlantedBugProperties;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The kit can fail: properties over classes with planted resolver bugs (a counter merge that
 * keeps the max instead of the sum, a bucket merge that drops a key, a set merge that keeps one side) are run through the
 * JUnit Platform exactly as a build would run them, and each must fail with a
 * {@link ScheduleFailure} whose schedule jqwik shrank to a handful of steps.
 */
class KitCatchesPlantedBugsTest {
    /** Two transactions that overlap and commit need at least 3 steps; shrinking should get close to that. */
    private static final int SMALL = 6;

    @Test
    void maxCounter_caughtWithShrunkSchedule() {
        ScheduleFailure f = runExpectingFailure("maxCounter");
        assertThat(f.rule()).contains("lost update or wrong merge");
        assertThat(f.schedule().size()).as("shrunk schedule %s", f.schedule()).isLessThanOrEqualTo(SMALL);
        assertThat(f.timeline()).contains("c1").contains("commit").contains("stored state");
    }

    @Test
    void lossyBucket_caughtWithShrunkSchedule() {
        ScheduleFailure f = runExpectingFailure("lossyBucket");
        assertThat(f.rule()).contains("lost update or wrong merge");
        assertThat(f.schedule().size()).as("shrunk schedule %s", f.schedule()).isLessThanOrEqualTo(SMALL);
        assertThat(f.timeline()).contains("put(");
    }

    @Test
    void forgetfulTagSet_caughtWithShrunkSchedule() {
        ScheduleFailure f = runExpectingFailure("forgetfulTags");
        assertThat(f.rule()).contains("lost update or wrong merge");
        assertThat(f.schedule().size()).as("shrunk schedule %s", f.schedule()).isLessThanOrEqualTo(SMALL);
    }

    private static ScheduleFailure runExpectingFailure(String property) {
        List<Throwable> failures = new ArrayList<>();
        List<String> finished = new ArrayList<>();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectMethod(
                        PlantedBugProperties.class.getName() + "#" + property + "(" + Schedule.class.getName() + ")"))
                .configurationParameter("jqwik.database", "target/jqwik-database-planted")
                .configurationParameter("jqwik.reporting.onlyFailures", "true")
                .build();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (!id.isTest()) return;
                finished.add(id.getDisplayName());
                result.getThrowable().ifPresent(failures::add);
            }
        });
        assertThat(finished).as("the planted property %s ran", property).hasSize(1);
        assertThat(failures).as("the planted bug of %s was caught", property).hasSize(1);
        assertThat(failures.get(0)).as("failure of %s", property).isInstanceOf(ScheduleFailure.class);
        return (ScheduleFailure) failures.get(0);
    }
}
