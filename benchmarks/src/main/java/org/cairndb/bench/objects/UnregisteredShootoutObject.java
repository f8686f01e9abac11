package org.cairndb.bench.objects;

import org.cairndb.client.NotEnhanced;

/**
 * {@link ShootoutObject} whose setter forgets {@code changing()}, as code relying on the
 * database's dirty check does (model {@code dirty-check}): the change is found at commit by
 * comparing the object's state with what was loaded. Kept away from the enhancer, which would
 * otherwise register the write.
 */
@NotEnhanced
public class UnregisteredShootoutObject extends ShootoutItem {
    private long value;
    private String label;
    private byte[] data;

    public UnregisteredShootoutObject(long value, byte[] data) {
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
        activate();
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
