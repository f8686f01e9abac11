package org.cairndb.storage;

import java.util.List;

/**
 * A shared fragment tier: a cache of computed values held where the data is (the Cairn
 * server, for {@code cairn://}), shared by every client of the storage and dropped with the
 * data they were computed from. The object layer's fragment cache uses it, when the storage
 * offers it, between its in-process tier and the supplier.
 *
 * <p>No history, no MVCC, no conflicts: a set is a blind write that is refused (not an
 * error) when a commit after the value's snapshot already changed one of its dependencies.
 * Every commit's invalidation drops the values depending on its oids before the commit's
 * invalidation goes to any client, so a value got after a commit returned never predates it.
 * The tier is memory only and bounded: a restart of its holder empties it.
 */
public interface FragmentTier {
    /** What {@link #fragmentInvalidate} forgets: one key, every value of a tag, or a whole cache. */
    enum Scope {
        KEY,
        TAG,
        ALL
    }

    /**
     * A value found: its kind (the object layer's encoding), its bytes, the oids it depends on,
     * and a tid it is known valid at (no commit up to it changed a dependency; the client has
     * applied every invalidation up to it when the answer reaches it).
     */
    record Hit(int kind, byte[] value, long[] deps, long validTid) {}

    /** The value of {@code key} in {@code cache}, or null. */
    Hit fragmentGet(String cache, String key);

    /**
     * Stores a value computed at {@code snapshotTid} from {@code deps}, unless a commit after
     * that snapshot changed one of them; {@code ttlMillis} 0 for none. True when stored.
     */
    boolean fragmentSet(
            String cache,
            String key,
            int kind,
            byte[] value,
            long[] deps,
            long snapshotTid,
            long ttlMillis,
            List<String> tags);

    /** Forgets a key, a tag's values, or a whole cache ({@code name} ignored). */
    void fragmentInvalidate(String cache, Scope scope, String name);
}
