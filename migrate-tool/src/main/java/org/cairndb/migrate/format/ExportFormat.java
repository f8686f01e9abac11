package org.cairndb.migrate.format;

import java.nio.charset.StandardCharsets;

/**
 * Constants of Cairn's export format, version 1; docs/export-format.md is its full description.
 *
 * <pre>
 *  file   = header block* end
 *  header = "CAIRNEXP" version:u16 compression:u8 reserved:u8 sourceLastTid:u64
 *           nameLength:u16 name:utf8 crc32c:u32                (crc over everything before it)
 *  block  = 'B' storedLength:u32 rawLength:u32 frameCount:u32 crc32c:u32 stored[storedLength]
 *           (stored = raw deflated when compression is 1; raw = frame*; crc over stored)
 *  frame  = bodyLength:u32 crc32c:u32 body                     (crc over body)
 *  body   = tid:u64 flags:u8 userLength:u32 user descLength:u32 desc extLength:u32 ext
 *           revisionCount:u32 revision*                       (flags bit 0: packed)
 *  revision = oid:u64 dataTid:u64 kind:u8 [dataLength:u32 data] (kind 0: data, 1: no data)
 *  end    = 'E' transactions:u64 records:u64 lastTid:u64 crc32c:u32 (crc over 'E' and the counts)
 * </pre>
 * All integers big-endian. Every transaction is one frame; a block holds whole frames only.
 */
final class ExportFormat {
    static final byte[] MAGIC = "CAIRNEXP".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int COMPRESSION_NONE = 0;
    static final int COMPRESSION_DEFLATE = 1;
    static final byte BLOCK = 'B';
    static final byte END = 'E';
    static final int BLOCK_HEADER = 17;
    static final int END_LENGTH = 29;
    static final int FRAME_HEADER = 8;
    static final byte KIND_DATA = 0;
    static final byte KIND_NO_DATA = 1;
    /** Frames are gathered into blocks of about this many raw bytes before compression. */
    static final int DEFAULT_BLOCK_BYTES = 1 << 20;
    /** Upper bound a reader accepts for one block's raw or stored length: keeps a corrupt length from allocating gigabytes. */
    static final int MAX_BLOCK_BYTES = Integer.MAX_VALUE - 64;

    private ExportFormat() {}

    static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[at + i] & 0xFF);
        return v;
    }

    static int getInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
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

    static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static void putShort(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static int crc32c(byte[] b, int off, int len) {
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }
}
