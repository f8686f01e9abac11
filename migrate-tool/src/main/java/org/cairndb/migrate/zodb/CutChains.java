package org.cairndb.migrate.zodb;

import java.nio.file.Path;

/**
 * The data records read with prev = 0 although the file held an earlier record of their oid:
 * how many, and the offsets of the first few, for a warning in ZODB's words.
 */
final class CutChains {
    private static final int SHOWN = 5;
    private final long[] first = new long[SHOWN];
    private long count;

    void add(long recordOffset) {
        if (count < SHOWN) first[(int) count] = recordOffset;
        count++;
    }

    boolean isEmpty() {
        return count == 0;
    }

    long count() {
        return count;
    }

    String describe(Path file) {
        StringBuilder at = new StringBuilder();
        for (int i = 0; i < Math.min(count, SHOWN); i++)
            at.append(i == 0 ? "" : ", ").append(first[i]);
        return "FileStorage " + file + ": " + count + " data record" + (count == 1 ? "" : "s")
                + " with prev pointer 0 although the file"
                + " holds earlier records of the oid (ZODB's warning \"incorrect previous pointer\", written by its pack), at byte offset"
                + (count == 1 ? " " : "s ") + at + (count > SHOWN ? " and " + (count - SHOWN) + " more" : "")
                + "; every record was read whole, and those earlier revisions are kept in the history";
    }
}
