package org.cairndb.bench.objects;

import org.cairndb.client.Persistent;

/**
 * What the shootout reads and writes, whatever the model: hand-written accessors
 * ({@link ShootoutObject}) or a plain enhanced class ({@link PlainShootoutObject}).
 */
public abstract class ShootoutItem extends Persistent {
    public abstract long value();

    public abstract void value(long v);

    public abstract String label();
}
