package org.cairndb.testkit.planted;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.cairndb.testkit.ConflictCheck;
import org.cairndb.testkit.Schedule;

/**
 * Properties that MUST fail: each checks a class with a planted resolver bug. Not run by
 * surefire directly (the class name matches none of its patterns); {@code KitCatchesPlantedBugsTest}
 * launches them through the JUnit Platform and asserts that they fail with a small schedule.
 */
public class PlantedBugProperties {
    public static final String URI_PROPERTY = "cairn.planted.uri";

    static final ConflictCheck<MaxCounter> MAX_COUNTER = ConflictCheck.of(MaxCounter.class, MaxCounter::new)
            .observe(MaxCounter::get)
            .commutative("add", Arbitraries.longs().between(1, 5), MaxCounter::add);

    static final ConflictCheck<LossyBucket> LOSSY_BUCKET = ConflictCheck.of(LossyBucket.class, LossyBucket::new)
            .observe(LossyBucket::entries)
            .mergeable("put", Arbitraries.integers().between(0, 20), (b, k) -> b.put(k, k * 10))
            .mergeable("remove", Arbitraries.integers().between(0, 20), LossyBucket::remove);

    static final ConflictCheck<ForgetfulTagSet> FORGETFUL_TAGS = ConflictCheck.of(
                    ForgetfulTagSet.class, ForgetfulTagSet::new)
            .observe(ForgetfulTagSet::tags)
            .commutative("add", Arbitraries.of("java", "db", "zodb"), ForgetfulTagSet::add);

    @Property(tries = 200, shrinking = ShrinkingMode.FULL)
    void forgetfulTags(@ForAll("forgetfulTagSchedules") Schedule<ForgetfulTagSet> schedule) {
        FORGETFUL_TAGS.verify(uri(), schedule);
    }

    @Provide
    Arbitrary<Schedule<ForgetfulTagSet>> forgetfulTagSchedules() {
        return FORGETFUL_TAGS.schedules();
    }

    private static String uri() {
        return System.getProperty(URI_PROPERTY, "temp:");
    }

    @Property(tries = 200, shrinking = ShrinkingMode.FULL)
    void maxCounter(@ForAll("maxCounterSchedules") Schedule<MaxCounter> schedule) {
        MAX_COUNTER.verify(uri(), schedule);
    }

    @Property(tries = 200, shrinking = ShrinkingMode.FULL)
    void lossyBucket(@ForAll("lossyBucketSchedules") Schedule<LossyBucket> schedule) {
        LOSSY_BUCKET.verify(uri(), schedule);
    }

    @Provide
    Arbitrary<Schedule<MaxCounter>> maxCounterSchedules() {
        return MAX_COUNTER.schedules();
    }

    @Provide
    Arbitrary<Schedule<LossyBucket>> lossyBucketSchedules() {
        return LOSSY_BUCKET.schedules();
    }
}
