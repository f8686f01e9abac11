package org.cairndb.testkit.planted;

import org.cairndb.client.NotEnhanced;
import org.cairndb.client.Persistent;

/**
 * A class with a planted accessor bug: its getter forgets activate(), so it reads a ghost's empty field.
 * Kept away from the enhancer, which would add the missing call.
 */
@NotEnhanced
public class ForgetfulReader extends Persistent {
    private long value;

    public long get() {
        return value; // BUG: no activate(): a ghost reads 0
    }

    public void add(long delta) {
        changing();
        value += delta;
    }
}
