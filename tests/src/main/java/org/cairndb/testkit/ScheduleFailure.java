package org.cairndb.testkit;

/**
 * A schedule broke a promise: a lost update, a stale read, a conflict where operations were
 * declared commutative, a non-mergeable change committed concurrently, a half-applied
 * transaction. The message names the broken rule and holds the whole run as a timeline
 * (connection, step, tid, state before/after).
 */
public final class ScheduleFailure extends AssertionError {
    private static final long serialVersionUID = 1L;

    private final transient Schedule<?> schedule;
    private final String rule;
    private final String timeline;

    ScheduleFailure(String rule, Schedule<?> schedule, String timeline, Throwable cause) {
        super(rule + "\n" + timeline, cause);
        this.rule = rule;
        this.schedule = schedule;
        this.timeline = timeline;
    }

    /** The schedule that failed (after shrinking, when jqwik reports it, the smallest one found). */
    public Schedule<?> schedule() {
        return schedule;
    }

    /** The broken rule in one sentence, without the timeline. */
    public String rule() {
        return rule;
    }

    /** The run as a readable table. */
    public String timeline() {
        return timeline;
    }
}
