package org.cairndb.client;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.cairndb.storage.TransactionMetadata;

/**
 * The current unit of work of one thread in a {@link TransactionManager}: its metadata
 * (user, description), whether it is read-only, and its commit hooks. Get it with
 * {@link TransactionManager#current()}.
 */
public final class Transaction {
    private final boolean readOnly;
    private String user = "";
    private String description = "";
    final List<Runnable> beforeCommit = new ArrayList<>();
    final List<Consumer<Boolean>> afterCommit = new ArrayList<>();

    Transaction(boolean readOnly) {
        this.readOnly = readOnly;
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    public Transaction user(String user) {
        this.user = user == null ? "" : user;
        return this;
    }

    /** Appends a line to the description stored with the transaction. */
    public Transaction note(String text) {
        description = description.isEmpty() ? text : description + "\n" + text;
        return this;
    }

    /** Runs {@code hook} at the start of commit, before anything is written; it may still change objects. */
    public void addBeforeCommitHook(Runnable hook) {
        beforeCommit.add(hook);
    }

    /** Runs {@code hook} after commit with true when it committed, false when it failed. */
    public void addAfterCommitHook(Consumer<Boolean> hook) {
        afterCommit.add(hook);
    }

    TransactionMetadata metadata() {
        return TransactionMetadata.of(user, description);
    }
}
