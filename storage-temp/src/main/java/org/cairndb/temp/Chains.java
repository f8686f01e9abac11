package org.cairndb.temp;

/**
 * Reading {@code temp:}'s revision chains: the one lookup that is its own (which revision a
 * reader at a tid sees). Keeping and trimming are the shared MVCC core's
 * ({@link org.cairndb.storage.spi.RevisionChains}).
 */
final class Chains {
    /** Marker results of {@link #visibleAt}. */
    static final Rev ABSENT = new Rev(0, 0, null, null, Rev.NO_GAP, null);
    static final Rev DROPPED = new Rev(0, 0, null, null, Rev.NO_GAP, null);

    private Chains() {}

    /** The newest revision with tid &lt;= {@code tid}, or {@link #ABSENT} if none existed, or {@link #DROPPED}. */
    static Rev visibleAt(Rev head, long tid) {
        for (Rev r = head; r != null; r = r.prev) {
            if (r.tid <= tid) return r;
            if (r.gapMin <= tid) return DROPPED;
        }
        return ABSENT;
    }
}
