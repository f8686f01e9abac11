package org.cairndb.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds a payload: big-endian integers, strings as int32 length + UTF-8, byte arrays as
 * int32 length + bytes with length -1 for null. A growable array rather than a pooled
 * ByteBuf, so a payload is a plain value that can be built on any thread; the encoder
 * copies it once into the outgoing buffer.
 */
public final class PayloadWriter {
    private byte[] buf;
    private int pos;

    public PayloadWriter() {
        this(64);
    }

    public PayloadWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int n) {
        long want = (long) pos + n;
        if (want > buf.length) {
            if (want > Integer.MAX_VALUE - 16)
                throw new ProtocolException("payload would exceed 2 GiB (" + want + " bytes); send less in one frame");
            buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(2L * buf.length, want)));
        }
    }

    public PayloadWriter u8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
        return this;
    }

    public PayloadWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    public PayloadWriter i32(int v) {
        ensure(4);
        buf[pos] = (byte) (v >>> 24);
        buf[pos + 1] = (byte) (v >>> 16);
        buf[pos + 2] = (byte) (v >>> 8);
        buf[pos + 3] = (byte) v;
        pos += 4;
        return this;
    }

    public PayloadWriter i64(long v) {
        ensure(8);
        for (int i = 7; i >= 0; i--) {
            buf[pos + i] = (byte) v;
            v >>>= 8;
        }
        pos += 8;
        return this;
    }

    public PayloadWriter bytes(byte[] b) {
        if (b == null) return i32(-1);
        i32(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
        return this;
    }

    /** Appends bytes without a length (a run of values written by another writer). */
    public PayloadWriter raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
        return this;
    }

    public PayloadWriter str(String s) {
        return bytes(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    public PayloadWriter longs(long[] a) {
        i32(a.length);
        ensure(a.length * 8);
        for (long v : a) i64(v);
        return this;
    }

    public int size() {
        return pos;
    }

    public byte[] toBytes() {
        return Arrays.copyOf(buf, pos);
    }

    public Frame frame(int requestId, Op op) {
        return new Frame(requestId, op, toBytes());
    }
}
