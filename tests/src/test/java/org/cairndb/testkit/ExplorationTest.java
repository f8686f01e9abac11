package org.cairndb.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.cairndb.testkit.planted.TriesCountingProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** {@link Exploration} overrides a property's tries, and cairn.exhaustive (-Pexhaustive) selects the long budget. */
class ExplorationTest {
    private final String saved = System.getProperty(ExplorationHook.EXHAUSTIVE);

    @AfterEach
    void restore() {
        if (saved == null) System.clearProperty(ExplorationHook.EXHAUSTIVE);
        else System.setProperty(ExplorationHook.EXHAUSTIVE, saved);
    }

    @Test
    void tries_normalBuild() {
        System.setProperty(ExplorationHook.EXHAUSTIVE, "false");
        assertThat(runCounting()).isEqualTo(3);
    }

    @Test
    void tries_exhaustiveProfile() {
        System.setProperty(ExplorationHook.EXHAUSTIVE, "true");
        assertThat(runCounting()).isEqualTo(7);
    }

    private static int runCounting() {
        TriesCountingProperties.TRIES.set(0);
        LauncherFactory.create()
                .execute(LauncherDiscoveryRequestBuilder.request()
                        .selectors(selectClass(TriesCountingProperties.class))
                        .configurationParameter("jqwik.database", "target/jqwik-database-planted")
                        .configurationParameter("jqwik.edgecases.default", "NONE")
                        .build());
        return TriesCountingProperties.TRIES.get();
    }
}
