package org.cairndb.testkit;

import java.util.Objects;
import java.util.function.BiConsumer;
import net.jqwik.api.Arbitrary;

/**
 * One operation of a {@link ConflictCheck}: a name for the timeline, its {@link OpKind}, the
 * arbitrary its argument is drawn from (none for operations without one), and what it does to
 * the object. The same action is applied to the stored object inside a connection and to a
 * transient copy that serves as the serial model.
 *
 * @param <S> the persistent class under test
 */
public final class Operation<S> {
    private final String name;
    private final OpKind kind;
    private final Arbitrary<?> arguments;
    private final BiConsumer<S, Object> action;
    private final boolean timestamped;

    @SuppressWarnings("unchecked")
    <A> Operation(String name, OpKind kind, Arbitrary<A> arguments, BiConsumer<S, ? super A> action) {
        this(name, kind, arguments, action, false);
    }

    @SuppressWarnings("unchecked")
    <A> Operation(
            String name, OpKind kind, Arbitrary<A> arguments, BiConsumer<S, ? super A> action, boolean timestamped) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.arguments = arguments;
        this.action = (BiConsumer<S, Object>) Objects.requireNonNull(action, "action");
        this.timestamped = timestamped;
    }

    /** True when the argument is the step's logical time (see {@link ConflictCheck#timestamped}). */
    boolean timestamped() {
        return timestamped;
    }

    public String name() {
        return name;
    }

    public OpKind kind() {
        return kind;
    }

    boolean takesArgument() {
        return arguments != null;
    }

    Arbitrary<?> arguments() {
        return arguments;
    }

    void apply(S target, Object argument) {
        action.accept(target, argument);
    }

    /** {@code add(3)} or {@code clear()}. */
    String call(Object argument) {
        return name + "(" + (arguments == null ? "" : String.valueOf(argument)) + ")";
    }

    @Override
    public String toString() {
        return name + " [" + kind + "]";
    }
}
