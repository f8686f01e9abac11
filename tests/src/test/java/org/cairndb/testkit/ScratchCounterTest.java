package org.cairndb.testkit;

import net.jqwik.api.*;
import org.cairndb.client.collections.Counter;

class ScratchCounterTest {
    static final ConflictCheck<Counter> CHECK = ConflictCheck.of(Counter.class, Counter::new)
            .observe(Counter::get)
            .commutative("add", Arbitraries.longs().between(1, 5), Counter::add)
            .mergeable("set", Arbitraries.longs().between(0, 9), Counter::set);

    @Property(tries = 100)
    void counter(@ForAll("schedules") Schedule<Counter> s) {
        CHECK.verify("temp:", s);
    }

    @Provide
    Arbitrary<Schedule<Counter>> schedules() { return CHECK.schedules(); }
}
