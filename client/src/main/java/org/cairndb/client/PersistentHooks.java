package org.cairndb.client;

/**
 * What enhanced code calls in front of each field instruction on a stored field of a
 * persistent object (README, "Transparent persistence"); not for application code, which
 * calls nothing. Both are Persistent's own {@code activate()} and {@code changing()}, so they
 * are idempotent and mix with hand-written calls. A null receiver is left to the field
 * instruction that follows, which throws the JVM's usual NullPointerException.
 */
public final class PersistentHooks {
    private PersistentHooks() {}

    /** Before a read of a stored field: loads the object if it is a ghost. */
    public static void beforeRead(Persistent p) {
        if (p != null) p.activate();
    }

    /** Before a write of a stored field: loads the object if needed and registers it as changed. */
    public static void beforeWrite(Persistent p) {
        if (p != null) p.changing();
    }
}
