package org.cairndb.migrate.zodb;

import java.util.Arrays;

/**
 * oid → file offset of the object's newest data record: FileStorage's in-memory index
 * ({@code fsIndex}), kept in two primitive arrays with open addressing so that a million
 * objects cost ~32 MB rather than the ~100 MB of a {@code HashMap<Long, Long>}.
 *
 * <p>Offsets are always &gt; 0 (data records start after the 4-byte magic), so 0 marks an
 * empty slot and {@link #get} returns 0 for "no record yet", which is also what a data
 * record's {@code prev} field holds for an object's first record.
 */
final class OidOffsetIndex {
    private long[] keys = new long[1024];
    private long[] values = new long[1024];
    private int size;

    long get(long oid) {
        int mask = keys.length - 1;
        for (int i = slot(oid, mask); ; i = (i + 1) & mask) {
            if (values[i] == 0) return 0;
            if (keys[i] == oid) return values[i];
        }
    }

    void put(long oid, long offset) {
        if (offset <= 0) throw new IllegalArgumentException("offset must be > 0, was " + offset);
        if ((size + 1) * 2 > keys.length) grow();
        insert(keys, values, oid, offset);
    }

    int size() {
        return size;
    }

    private void insert(long[] ks, long[] vs, long oid, long offset) {
        int mask = ks.length - 1;
        for (int i = slot(oid, mask); ; i = (i + 1) & mask) {
            if (vs[i] == 0) {
                ks[i] = oid;
                vs[i] = offset;
                if (ks == keys) size++;
                return;
            }
            if (ks[i] == oid) {
                vs[i] = offset;
                return;
            }
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new long[oldKeys.length * 2];
        int n = size;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != 0) insert(keys, values, oldKeys[i], oldValues[i]);
        }
        size = n;
    }

    private static int slot(long oid, int mask) {
        long h = oid * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    void clear() {
        Arrays.fill(values, 0);
        size = 0;
    }
}
