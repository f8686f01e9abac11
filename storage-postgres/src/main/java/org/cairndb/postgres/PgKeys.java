package org.cairndb.postgres;

import java.nio.charset.StandardCharsets;

/**
 * Keys of PostgreSQL advisory locks and the NOTIFY channel of a schema. Advisory lock keys
 * are shared by a whole database, so each is derived from the schema name (64-bit FNV-1a):
 * two Cairn schemas in one database do not share a tid lock.
 */
final class PgKeys {
    private PgKeys() {}

    static long tidLock(String schema) {
        return fnv("cairn.tid." + schema);
    }

    static long schemaLock(String schema) {
        return fnv("cairn.schema." + schema);
    }

    static String channel(String schema) {
        return "cairn_" + schema;
    }

    private static long fnv(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
