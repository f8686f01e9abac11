package org.cairndb.client.enhance;

import org.cairndb.client.enhance.sub.Labelled;

/** Reads and writes the inherited protected field of a base class of another package. */
public class Tagged extends Labelled {
    public Tagged() {}

    public Tagged(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public void relabel(String l) {
        label = l;
    }
}
