package org.cairndb.storage;

/**
 * What a {@link StorageView#sync()} reports: the oids committed in (fromTid, toTid]; ZODB's
 * {@code poll_invalidations()} result, {@code all} standing for its "invalidate everything" None.
 *
 * @param all when true, the storage could not tell which oids changed (its history does not
 *            reach back to fromTid): the caller must treat every cached object as invalid
 */
public record Invalidations(long fromTid, long toTid, long[] oids, boolean all) {
    public static Invalidations none(long tid) {
        return new Invalidations(tid, tid, new long[0], false);
    }

    public boolean isEmpty() {
        return !all && oids.length == 0;
    }
}
