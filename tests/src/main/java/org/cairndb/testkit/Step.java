package org.cairndb.testkit;

/**
 * One step of a {@link Schedule}: a connection does an operation, begins a transaction that
 * runs through {@code TransactionManager.run(...)}, commits or aborts.
 *
 * <p>Every list of steps is a valid schedule, which is what lets jqwik shrink one freely: an
 * operation on a connection without an open transaction begins one; a commit or abort with
 * nothing open does nothing; transactions still open after the last step are committed.
 */
public final class Step {
    /** What a step does. */
    public enum Action {
        /** Apply an operation (beginning a transaction first if none is open). */
        OP,
        /** Begin a transaction that runs through {@code run(attempts, work)}: it retries on conflicts. */
        BEGIN_RUN,
        COMMIT,
        ABORT
    }

    private final int connection;
    private final Action action;
    private final Operation<?> operation;
    private final Object argument;

    private Step(int connection, Action action, Operation<?> operation, Object argument) {
        this.connection = connection;
        this.action = action;
        this.operation = operation;
        this.argument = argument;
    }

    static Step op(int connection, Operation<?> operation, Object argument) {
        return new Step(connection, Action.OP, operation, argument);
    }

    static Step of(int connection, Action action) {
        if (action == Action.OP) throw new IllegalArgumentException("an OP step needs an operation: use op(...)");
        return new Step(connection, action, null, null);
    }

    /** The connection, numbered from 0 (printed as c1, c2...). */
    public int connection() {
        return connection;
    }

    public Action action() {
        return action;
    }

    /** The operation of an {@link Action#OP} step, else null. */
    public Operation<?> operation() {
        return operation;
    }

    /** The operation's argument, or null. */
    public Object argument() {
        return argument;
    }

    /** The action alone: {@code add(3)}, {@code begin run}, {@code commit}. */
    String describeAction() {
        switch (action) {
            case OP:
                return operation.call(argument);
            case BEGIN_RUN:
                return "begin run";
            case COMMIT:
                return "commit";
            default:
                return "abort";
        }
    }

    @Override
    public String toString() {
        return "c" + (connection + 1) + " " + describeAction();
    }
}
