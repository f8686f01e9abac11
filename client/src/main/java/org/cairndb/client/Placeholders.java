package org.cairndb.client;

/**
 * Support for the object layer's conflict resolver (not for applications): inside
 * resolution, a reference to another persistent object becomes a placeholder that knows
 * only its oid. The same oid gives the same placeholder across ancestor, committed and new
 * state, so references compare by oid, and reading a placeholder's state is refused.
 */
public final class Placeholders {
    private Placeholders() {}

    /** Turns a fresh (transient, constructor-less) instance into the placeholder for {@code oid}. */
    public static <T extends Persistent> T placeholder(T fresh, long oid) {
        if (fresh.persistentState() != PersistentState.TRANSIENT || fresh.oid() != Persistent.NO_OID) {
            throw new IllegalArgumentException(fresh.describe() + " is not a fresh instance");
        }
        fresh.attachPlaceholder(oid);
        return fresh;
    }
}
