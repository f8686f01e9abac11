package org.cairndb.bench.objects;

import org.cairndb.client.NotEnhanced;

/**
 * zodbshootout's PObject: a small persistent object with one changing attribute, with
 * hand-written accessors (model {@code manual}); kept away from the enhancer so it measures them
 * alone.
 */
@NotEnhanced
public class ShootoutObject extends ShootoutItem {
    private long value;
    private String label;

    public ShootoutObject(long value) {
        this.value = value;
        this.label = "object-" + value;
    }

    @Override
    public long value() { activate(); return value; }

    @Override
    public void value(long v) { changing(); value = v; }

    @Override
    public String label() { activate(); return label; }
}
