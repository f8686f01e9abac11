package org.cairndb.bench.objects;

import org.cairndb.client.Persistent;

/**
 * What the shootout reads and writes, whatever the model: hand-written accessors
 * ({@link ShootoutObject}), a plain enhanced class ({@link PlainShootoutObject}) or a setter that
 * registers nothing, left to the dirty check ({@link UnregisteredShootoutObject}).
 */
public abstract class ShootoutItem extends Persistent {
    public abstract long value();

    public abstract void value(long v);

    public abstract String label();

    /** The payload's length (reading it activates the object, as reading {@code data} does in zodbshootout). */
    public abstract int dataLength();
}
