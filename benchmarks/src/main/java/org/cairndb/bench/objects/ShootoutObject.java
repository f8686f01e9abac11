package org.cairndb.bench.objects;

import org.cairndb.client.Persistent;

/**
 * zodbshootout's PObject: a persistent object with one changing attribute ({@code value}, its
 * {@code attr}) and a payload ({@code data}) that gives the stored record its size
 * ({@code bench shootout --object-size}).
 */
public class ShootoutObject extends Persistent {
    private long value;
    private String label;
    private byte[] data;

    public ShootoutObject(long value) {
        this(value, new byte[0]);
    }

    public ShootoutObject(long value, byte[] data) {
        this.value = value;
        this.label = "object-" + value;
        this.data = data;
    }

    public long value() { activate(); return value; }

    public void value(long v) { changing(); value = v; }

    /** Writes without registering the change, as code forgetting {@code changing()} would: for the dirty check's model. */
    public void valueUnregistered(long v) { activate(); value = v; }

    public String label() { activate(); return label; }

    /** The payload's length (reading it activates the object, as reading {@code data} does in zodbshootout). */
    public int dataLength() { activate(); return data.length; }
}
