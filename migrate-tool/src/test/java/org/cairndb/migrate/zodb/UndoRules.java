package org.cairndb.migrate.zodb;

import static org.cairndb.migrate.zodb.FileStorageFormat.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cairndb.storage.Oid;
import org.cairndb.storage.Tid;

/**
 * Checks a FileStorage file against what Python ZODB's undo would do with it, from the raw
 * headers: ZODB lists and undoes only transactions after the last packed ({@code 'p'}) one
 * ({@code _txn_find} and {@code UndoSearch} stop at 'p'), and undoing a record whose prev is
 * 0 deletes the object. So every record written with prev = 0 for an object that existed
 * before that transaction (its earlier revisions were lost) must sit in a packed transaction,
 * or ZODB offers an undo that deletes the object.
 */
public final class UndoRules {
    private UndoRules() {}

    /**
     * @param firstTidOf oid → tid of the object's first revision in the original database
     * @param packedTids the tids the original had marked packed (they must stay packed)
     * @return one line per violation, empty when the file is safe
     */
    public static List<String> violations(Path file, Map<Long, Long> firstTidOf, Set<Long> packedTids) {
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> out = new ArrayList<>();
        int pos = MAGIC_LENGTH;
        while (pos < b.length) {
            long tid = getLong(b, pos);
            long tlen = getLong(b, pos + 8);
            boolean packed = b[pos + 16] == STATUS_PACKED;
            if (packedTids.contains(tid) && !packed)
                out.add("transaction " + Tid.hex(tid) + " was packed in the source but is not in the file");
            int p = pos + TRANS_HEADER + getShort(b, pos + 17) + getShort(b, pos + 19) + getShort(b, pos + 21);
            while (p < pos + tlen) {
                long oid = getLong(b, p);
                long prev = getLong(b, p + 16);
                long plen = getLong(b, p + 34);
                Long first = firstTidOf.get(oid);
                if (prev == 0 && first != null && Long.compareUnsigned(first, tid) < 0 && !packed) {
                    out.add("transaction " + Tid.hex(tid) + " (status ' ') has a record of oid " + Oid.hex(oid)
                            + " with prev = 0 although the" + " object existed since " + Tid.hex(first)
                            + ": ZODB would offer an undo that deletes it");
                }
                p += DATA_HEADER + (int) (plen == 0 ? 8 : plen);
            }
            pos += (int) tlen + TRAILER;
        }
        return out;
    }
}
