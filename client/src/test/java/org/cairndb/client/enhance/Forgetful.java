package org.cairndb.client.enhance;

import org.cairndb.client.NotEnhanced;
import org.cairndb.client.Persistent;

/** Kept away from the enhancer, with a planted missing activate(): its getter reads a ghost's empty field. */
@NotEnhanced
public class Forgetful extends Persistent {
    String value;

    public Forgetful(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    } // BUG on purpose: no activate()
}
