package org.cairndb.testkit.planted;

import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.cairndb.testkit.Exploration;

/** Counts its tries, for ExplorationTest (not run by surefire directly: the name matches none of its patterns). */
public class TriesCountingProperties {
    public static final AtomicInteger TRIES = new AtomicInteger();

    @Property(tries = 1000)
    @Exploration(tries = 3, exhaustiveTries = 7)
    void counted(@ForAll int any) {
        TRIES.incrementAndGet();
    }
}
