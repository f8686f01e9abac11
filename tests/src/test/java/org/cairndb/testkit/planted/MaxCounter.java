package org.cairndb.testkit.planted;

import org.cairndb.client.Persistent;
import org.cairndb.client.conflict.Resolvable;

/** A counter with a planted bug: its merge keeps the larger value instead of adding both increments. */
public class MaxCounter extends Persistent implements Resolvable<MaxCounter> {
    private long value;

    public long get() {
        activate();
        return value;
    }

    public void add(long delta) {
        changing();
        value += delta;
    }

    @Override
    public MaxCounter resolve(MaxCounter ancestor, MaxCounter committed, MaxCounter mine) {
        committed.value = Math.max(committed.value, mine.value); // BUG: should be committed + (mine - ancestor)
        return committed;
    }
}
