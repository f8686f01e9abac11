package org.cairndb.client.collections;

import org.cairndb.client.Persistent;
import org.cairndb.client.conflict.Resolvable;

/**
 * A number that many transactions can change at once without conflicts (like ZODB's
 * {@code BTrees.Length}): when two transactions add to it concurrently, resolution adds
 * both deltas to the committed value. {@link #get()} is the value in this transaction's
 * snapshot plus its own changes.
 */
public final class Counter extends Persistent implements Resolvable<Counter> {
    private long value;

    public Counter() {}

    public Counter(long initial) {
        this.value = initial;
    }

    public long get() {
        activate();
        return value;
    }

    public void add(long delta) {
        changing();
        value += delta;
    }

    public void increment() {
        add(1);
    }

    public void decrement() {
        add(-1);
    }

    /** Sets the value. A set is not an increment: it conflicts with concurrent changes only if resolution cannot tell (no ancestor). */
    public void set(long newValue) {
        changing();
        value = newValue;
    }

    @Override
    public Counter resolve(Counter ancestor, Counter committed, Counter mine) {
        if (ancestor == null) return null;
        committed.value += mine.value - ancestor.value;
        return committed;
    }

    @Override
    public String toString() {
        return "Counter[" + get() + "]";
    }
}
