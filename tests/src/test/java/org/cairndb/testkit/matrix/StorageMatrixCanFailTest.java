package org.cairndb.testkit.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The storage matrix runs a test once per storage it names, hands each run its storage, and a
 * failure says which storage failed: {@link PlantedMatrixTargets} (fails on temp: only) run
 * through the JUnit Platform as a build runs it, both engines.
 */
class StorageMatrixCanFailTest {

    @Test
    void eachStorageRunsAndOnlyTheFailingOneIsReportedByName() {
        PlantedMatrixTargets.SEEN.clear();
        Map<String, TestExecutionResult> results = new LinkedHashMap<>();
        AtomicReference<TestPlan> plan = new AtomicReference<>();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(PlantedMatrixTargets.class))
                .configurationParameter("jqwik.database", "target/jqwik-database-planted")
                .configurationParameter("jqwik.reporting.onlyFailures", "true")
                .build();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void testPlanExecutionStarted(TestPlan testPlan) {
                plan.set(testPlan);
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (!id.isTest()) return;
                String container = plan.get()
                        .getParent(id)
                        .map(TestIdentifier::getDisplayName)
                        .orElse("");
                results.put(container + " " + id.getDisplayName(), result);
            }
        });

        // JUnit Jupiter: one run of the class per storage, each named after it
        assertThat(results.get("[mem:] jupiterTest(StorageKind, Storage)").getStatus())
                .isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        TestExecutionResult temp = results.get("[temp:] jupiterTest(StorageKind, Storage)");
        assertThat(temp.getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
        assertThat(temp.getThrowable().orElseThrow()).hasMessage("[temp:] planted failure");
        // jqwik: one property, run per storage; the failure names the storage
        TestExecutionResult property = results.entrySet().stream()
                .filter(e -> e.getKey().contains("jqwikProperty"))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElseThrow();
        assertThat(property.getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
        assertThat(property.getThrowable().orElseThrow()).hasMessage("[temp:] planted failure");
        // every run got an open storage of its kind
        assertThat(PlantedMatrixTargets.SEEN)
                .contains("jupiter mem: 0", "jupiter temp: 0", "jqwik mem: 0", "jqwik temp: 0");
        assertThat(PlantedMatrixTargets.SEEN.stream()
                        .filter(s -> s.startsWith("jqwik mem:"))
                        .count())
                .as("the mem: run is a whole property (3 tries)")
                .isEqualTo(3);
    }
}
