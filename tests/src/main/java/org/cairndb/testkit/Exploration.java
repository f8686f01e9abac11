package org.cairndb.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * How many schedules a property explores: {@link #tries()} in a normal build, and
 * {@link #exhaustiveTries()} when the system property {@code cairn.exhaustive} is
 * {@code true} (Cairn's {@code -Pexhaustive} Maven profile sets it). Put it next to
 * {@code @Property}; it overrides the property's own tries.
 *
 * <pre>{@code
 * @Property
 * @Exploration(tries = 40, exhaustiveTries = 2000)
 * void counterMerges(@ForAll("schedules") Schedule<Counter> s) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@AddLifecycleHook(ExplorationHook.class)
public @interface Exploration {
    /** Schedules tried in a normal run. */
    int tries() default 30;

    /** Schedules tried with {@code -Dcairn.exhaustive=true}. */
    int exhaustiveTries() default 1000;
}
