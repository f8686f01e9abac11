package org.cairndb.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Reads a payload written by {@link PayloadWriter}. Every read checks the bounds and a bad
 * payload throws {@link ProtocolException} naming the op, the field's byte offset and what
 * was expected, so a broken client learns exactly where its bytes went wrong.
 */
public final class PayloadReader {
    private final byte[] buf;
    private final Op op;
    private int pos;

    public PayloadReader(byte[] buf, Op op) {
        this.buf = buf;
        this.op = op;
    }

    /** Checks that {@code n} bytes remain; written so that no sum can overflow (a length near 2^31 is refused, not wrapped). */
    private void need(int n, String what) {
        if (n < 0 || n > buf.length - pos) {
            throw new ProtocolException(op + " payload: " + what + " at byte offset " + pos + " needs " + n
                    + " bytes but only " + (buf.length - pos) + " remain (payload is " + buf.length + " bytes)");
        }
    }

    public int u8() {
        need(1, "u8");
        return buf[pos++] & 0xFF;
    }

    public boolean bool() {
        int v = u8();
        if (v > 1)
            throw new ProtocolException(
                    op + " payload: boolean at byte offset " + (pos - 1) + " is " + v + " (expected 0 or 1)");
        return v == 1;
    }

    public int i32() {
        need(4, "int32");
        int v = ((buf[pos] & 0xFF) << 24)
                | ((buf[pos + 1] & 0xFF) << 16)
                | ((buf[pos + 2] & 0xFF) << 8)
                | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    public long i64() {
        need(8, "int64");
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (buf[pos + i] & 0xFF);
        pos += 8;
        return v;
    }

    /** A count that must be between 0 and what the remaining bytes can hold at {@code unit} bytes each. */
    public int count(String what, int unit) {
        int at = pos;
        int n = i32();
        if (n < 0 || (long) n * unit > buf.length - pos) {
            throw new ProtocolException(op + " payload: " + what + " count at byte offset " + at + " is " + n
                    + " (expected 0.." + (buf.length - pos) / Math.max(1, unit) + " for the bytes that remain)");
        }
        return n;
    }

    public byte[] bytes() {
        int at = pos;
        int n = i32();
        if (n == -1) return null;
        if (n < -1)
            throw new ProtocolException(
                    op + " payload: byte array length at byte offset " + at + " is " + n + " (expected -1 or more)");
        need(n, "byte array");
        byte[] b = new byte[n];
        System.arraycopy(buf, pos, b, 0, n);
        pos += n;
        return b;
    }

    public String str() {
        byte[] b = bytes();
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    public long[] longs() {
        int n = count("int64 array", 8);
        long[] a = new long[n];
        for (int i = 0; i < n; i++) a[i] = i64();
        return a;
    }

    public boolean hasMore() {
        return pos < buf.length;
    }

    /** Bytes not read yet. */
    public int remaining() {
        return buf.length - pos;
    }

    /** Refuses trailing bytes: a payload longer than its op defines is malformed. */
    public void end() {
        if (pos != buf.length) {
            throw new ProtocolException(op + " payload: " + (buf.length - pos)
                    + " unexpected trailing bytes at byte offset " + pos + " (payload is " + buf.length + " bytes)");
        }
    }
}
