package org.cairndb.storage;

import java.util.HexFormat;

/** Object ids: unsigned 64-bit numbers held in a {@code long}; 0 is the root object. */
public final class Oid {
    /** The root object's oid. Every storage treats it as the root of reachability for pack. */
    public static final long ROOT = 0L;

    private Oid() {}

    /** 16 hex digits, as ZODB prints oids. */
    public static String hex(long oid) {
        return HexFormat.of().toHexDigits(oid);
    }

    public static String describe(long oid) {
        return "0x" + Long.toHexString(oid);
    }

    /** The oid as its 8 big-endian bytes (ZODB's p64). */
    public static byte[] bytes(long oid) {
        return Tid.bytes(oid);
    }
}
