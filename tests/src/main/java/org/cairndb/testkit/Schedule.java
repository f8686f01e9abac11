package org.cairndb.testkit;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An interleaving of transactions of several connections, as a flat list of {@link Step}s
 * executed in order from one thread. Made by {@link ConflictCheck#schedules()}; jqwik
 * shrinks a failing one by dropping steps and simplifying arguments.
 *
 * @param <S> the persistent class under test
 */
public final class Schedule<S> {
    private final List<Step> steps;
    private final int connections;

    Schedule(List<Step> steps, int connections) {
        this.steps = List.copyOf(steps);
        this.connections = connections;
    }

    public List<Step> steps() {
        return steps;
    }

    public int size() {
        return steps.size();
    }

    /** How many connections the schedule may use (some may stay idle). */
    public int connections() {
        return connections;
    }

    @Override
    public String toString() {
        return steps.size() + " steps: "
                + steps.stream().map(Step::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
