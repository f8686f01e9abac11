package org.cairndb.client;

import java.util.Map;

/**
 * One cached fragment: its value, what it was computed from (oids per mount, and the oldest
 * snapshot tid each mount's oids were read at), its tags and expiry. {@link #invalid} is set,
 * once and for good, by whatever makes the value unusable (a commit to a dependency, an
 * explicit invalidation); readers check it on every hit.
 */
final class FragmentEntry {
    static final byte NULL = 0, STRING = 1, BYTES = 2, OBJECT = 3;

    final FragmentCache owner;
    final String key;
    final byte kind;
    /** A String, or the bytes of a byte[] value (a private copy), or Kryo bytes of any other value. */
    final Object value;

    final int bytes;
    /** mount → sorted oids read. */
    final Map<String, long[]> deps;
    /** mount → snapshot tid the oids were read at (the oldest, when several). */
    final Map<String, Long> snapshots;

    final String[] tags;
    /** Time to live in nanoseconds, or Long.MAX_VALUE. */
    final long ttlNanos;

    volatile boolean invalid;

    FragmentEntry(
            FragmentCache owner,
            String key,
            byte kind,
            Object value,
            int bytes,
            Map<String, long[]> deps,
            Map<String, Long> snapshots,
            String[] tags,
            long ttlNanos) {
        this.owner = owner;
        this.key = key;
        this.kind = kind;
        this.value = value;
        this.bytes = bytes;
        this.deps = deps;
        this.snapshots = snapshots;
        this.tags = tags;
        this.ttlNanos = ttlNanos;
    }

    boolean dependsOn(String mount, long oid) {
        long[] d = deps.get(mount);
        return d != null && java.util.Arrays.binarySearch(d, oid) >= 0;
    }
}
