package org.cairndb.client;

import java.util.Map;

/**
 * A point inside a transaction to roll back to: {@link #rollback()} restores every object
 * changed since to its state at the savepoint (objects added since become transient
 * again) and keeps the transaction going.
 */
public final class Savepoint {
    private final TransactionManager tm;
    private final Transaction txn;
    private final Map<Connection, Map<String, Map<Long, byte[]>>> states;

    Savepoint(TransactionManager tm, Transaction txn, Map<Connection, Map<String, Map<Long, byte[]>>> states) {
        this.tm = tm;
        this.txn = txn;
        this.states = states;
    }

    public void rollback() {
        if (tm.current() != txn) {
            throw new IllegalStateException("savepoint of an earlier transaction: it can be rolled back only inside the"
                    + " transaction that made it");
        }
        for (Map.Entry<Connection, Map<String, Map<Long, byte[]>>> e : states.entrySet()) {
            if (!e.getKey().isClosed()) e.getKey().rollback(e.getValue());
        }
    }
}
