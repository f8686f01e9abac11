package org.cairndb.bench.objects;

/** {@link ShootoutObject} as a plain class, enhanced at build time (model {@code enhanced}). */
public class PlainShootoutObject extends ShootoutItem {
    private long value;
    private String label;
    private byte[] data;

    public PlainShootoutObject(long value, byte[] data) {
        this.value = value;
        this.label = "object-" + value;
        this.data = data;
    }

    @Override
    public long value() {
        return value;
    }

    @Override
    public void value(long v) {
        value = v;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public int dataLength() {
        return data.length;
    }
}
