package org.cairndb.testkit.guide;

import net.jqwik.api.*;
import org.cairndb.testkit.*;

class TagSetConflictTest {
    static final ConflictCheck<TagSet> CHECK = ConflictCheck.of(TagSet.class, TagSet::new)
            .observe(TagSet::tags)
            .commutative("add", Arbitraries.of("java", "db", "zodb"), TagSet::add)
            .nonMergeable("clear", TagSet::clear);

    @Property
    @Exploration(tries = 50, exhaustiveTries = 2000)
    void tagsMerge(@ForAll("schedules") Schedule<TagSet> schedule) {
        CHECK.verify("temp:", schedule);
    }

    @Provide
    Arbitrary<Schedule<TagSet>> schedules() {
        return CHECK.schedules();
    }
}
