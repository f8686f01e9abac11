package org.cairndb.bench.objects;

/** {@link ShootoutObject} as a plain class, enhanced at build time (model {@code enhanced}). */
public class PlainShootoutObject extends ShootoutItem {
    private long value;
    private String label;

    public PlainShootoutObject(long value) {
        this.value = value;
        this.label = "object-" + value;
    }

    @Override
    public long value() { return value; }

    @Override
    public void value(long v) { value = v; }

    @Override
    public String label() { return label; }
}
