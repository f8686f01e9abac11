package org.cairndb.migrate.zodb;

/**
 * The constants of ZODB's FileStorage layout (ZODB 5, {@code FileStorage/format.py}); see
 * the fixtures' FILESTORAGE_FORMAT.md. All integers are unsigned big-endian.
 *
 * <pre>
 *  file         "FS30" | "FS21", then transaction records up to EOF
 *  transaction  tid(8) tlen(8) status(1) ulen(2) dlen(2) elen(2) user desc ext data-records... tlen(8)
 *  data record  oid(8) tid(8) prev(8) tloc(8) vlen(2) plen(8) (data(plen) | back(8) when plen == 0)
 * </pre>
 */
final class FileStorageFormat {
    static final byte[] MAGIC_FS30 = {'F', 'S', '3', '0'};
    static final byte[] MAGIC_FS21 = {'F', 'S', '2', '1'};
    static final int MAGIC_LENGTH = 4;
    static final int TRANS_HEADER = 23;
    static final int DATA_HEADER = 42;
    static final int TRAILER = 8;
    /** The most bytes each of user, description and extension may take (two-byte lengths); the three together have no limit. */
    static final int MAX_FIELD = 65535;

    static final byte STATUS_COMMITTED = ' ';
    static final byte STATUS_PACKED = 'p';
    static final byte STATUS_CHECKPOINT = 'c';
    static final byte STATUS_UNCERTAIN = 'u';

    private FileStorageFormat() {}

    static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[at + i] & 0xFF);
        return v;
    }

    static int getShort(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    static void putShort(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static String statusName(byte s) {
        return s >= 0x20 && s < 0x7F ? "'" + (char) s + "'" : String.format("0x%02x", s & 0xFF);
    }
}
