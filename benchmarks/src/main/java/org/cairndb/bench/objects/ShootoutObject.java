package org.cairndb.bench.objects;

import org.cairndb.client.NotEnhanced;

/**
 * zodbshootout's PObject: a persistent object with one changing attribute ({@code value}, its
 * {@code attr}) and a payload ({@code data}) that gives the stored record its size
 * ({@code bench shootout --object-size}), with hand-written accessors (model {@code manual});
 * kept away from the enhancer so it measures them alone.
 */
@NotEnhanced
public class ShootoutObject extends ShootoutItem {
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

    @Override
    public long value() {
        activate();
        return value;
    }

    @Override
    public void value(long v) {
        changing();
        value = v;
    }

    @Override
    public String label() {
        activate();
        return label;
    }

    @Override
    public int dataLength() {
        activate();
        return data.length;
    }
}
