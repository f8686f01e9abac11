package org.cairndb.testkit;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/** Sets a property's tries from its {@link Exploration} annotation and {@code cairn.exhaustive}. */
public final class ExplorationHook implements AroundPropertyHook {
    /** The system property that asks for the long exploration. */
    public static final String EXHAUSTIVE = "cairn.exhaustive";

    public ExplorationHook() {}

    /** True when the long exploration was asked for ({@code -Dcairn.exhaustive=true}, or {@code -Pexhaustive} in Cairn's build). */
    public static boolean exhaustive() {
        return Boolean.getBoolean(EXHAUSTIVE);
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property)
            throws Throwable {
        context.findAnnotation(Exploration.class)
                .ifPresent(e -> context.attributes().setTries(exhaustive() ? e.exhaustiveTries() : e.tries()));
        return property.execute();
    }
}
