package org.cairndb.bench.objects;

import org.cairndb.client.Persistent;

/** zodbshootout's PObject: a small persistent object with one changing attribute. */
public class ShootoutObject extends Persistent {
    private long value;
    private String label;

    public ShootoutObject(long value) {
        this.value = value;
        this.label = "object-" + value;
    }

    public long value() { activate(); return value; }

    public void value(long v) { changing(); value = v; }

    /** Writes without registering the change, as code forgetting {@code changing()} would: for the dirty check's model. */
    public void valueUnregistered(long v) { activate(); value = v; }

    public String label() { activate(); return label; }
}
