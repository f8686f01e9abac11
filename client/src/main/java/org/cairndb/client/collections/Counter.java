package org.cairndb.client.collections;

import org.cairndb.client.Persistent;
import org.cairndb.client.conflict.Resolvable;

/**
 * A number that many transactions can change at once without conflicts (like ZODB's
 * {@code BTrees.Length}): when two transactions add to it concurrently, resolution adds
 * both deltas to the committed value. {@link #get()} is the value in this transaction's
 * snapshot plus its own changes.
 *
 * <h2>Resolution</h2>
 * Increments commute, so concurrent {@link #add}s merge: the result is the committed value
 * plus this transaction's delta, which is what running the two transactions one after the
 * other gives. A {@link #set} does not commute with anything: "set to 5" and "add 1" give 6
 * or 5 depending on the order, and a set usually follows a read ("reset when over the
 * limit"). So a transaction that set the counter conflicts with every concurrent change, and
 * a transaction that added conflicts with a concurrent set.
 *
 * <p>A delta alone cannot tell a set from an add (set(0) after add(1) looks like add(-1)), so
 * the state carries a <em>set generation</em> that every {@code set} bumps: resolution
 * compares it with the ancestor's to learn whether either side set.
 *
 * <p><i>Alternative rejected:</i> letting the setter win (the order "the other, then the
 * setter" is serial for blind writes) would silently drop increments counted between a
 * setter's read and its commit.
 */
public final class Counter extends Persistent implements Resolvable<Counter> {
    private long value;
    /** Bumped by every {@link #set}; only compared, in {@link #resolve}, never read otherwise. */
    private long setGeneration;

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

    /**
     * Sets the value. A set is not an increment: it conflicts with any concurrent change of
     * this counter (and a concurrent add conflicts with it); the retry sees the new value.
     */
    public void set(long newValue) {
        changing();
        value = newValue;
        setGeneration++;
    }

    @Override
    public Counter resolve(Counter ancestor, Counter committed, Counter mine) {
        if (ancestor == null) return null;
        boolean committedSet = committed.setGeneration != ancestor.setGeneration;
        boolean mineSet = mine.setGeneration != ancestor.setGeneration;
        if (!committedSet && !mineSet) {
            committed.value += mine.value - ancestor.value; // increments commute
            return committed;
        }
        // a set on either side: mergeable only if the other side changed nothing
        if (!committedSet && committed.value == ancestor.value) return mine;
        if (!mineSet && mine.value == ancestor.value) return committed;
        return null;
    }

    @Override
    public String toString() {
        return "Counter[" + get() + "]";
    }
}
