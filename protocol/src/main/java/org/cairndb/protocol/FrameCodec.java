package org.cairndb.protocol;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The frame layout in one place, free of any transport: the checks of a frame's length and
 * op (with the error messages both sides send), and the nine header bytes. Netty's
 * decoder and encoder of storage-server and the blocking {@link FrameReader}
 * (the client) all use it, so a change of the layout is made here once.
 */
public final class FrameCodec {
    private FrameCodec() {}

    /** Checks a frame length read from the wire: at least 5 (request id and op), at most {@code maxFrame}. */
    public static int checkLength(int len, int maxFrame) {
        if ((len >>> 16) == 0x1603 || (len >>> 16) == 0x1503) {
            throw new ProtocolException(
                    "received the start of a TLS record (bytes 0x" + Integer.toHexString(len)
                            + "), not a Cairn frame: the other side speaks TLS and this side plain TCP; configure TLS on both sides or neither");
        }
        if (len < 5)
            throw new ProtocolException(
                    "frame length " + len + " is too small (expected at least 5: request id and op)");
        if (len > maxFrame) {
            throw new ProtocolException("frame length " + len + " exceeds the maximum frame size " + maxFrame
                    + " bytes (raise --max-frame on the server, or send smaller transactions)");
        }
        return len;
    }

    /** The op of a code read from the wire, or a ProtocolException naming the code and the frame. */
    public static Op checkOp(byte code, int requestId) {
        Op op = Op.of(code);
        if (op == null) {
            throw new ProtocolException("unknown op code " + (code & 0xFF) + " in frame of request id " + requestId
                    + " (this side speaks protocol version " + Protocol.VERSION + ")");
        }
        return op;
    }

    /** Writes the header ({@code length | requestId | op}) of {@code f} into {@code dst} at {@code off}. */
    public static void header(Frame f, byte[] dst, int off) {
        putInt(dst, off, 5 + f.payload().length);
        putInt(dst, off + 4, f.requestId());
        dst[off + 8] = f.op().code;
    }

    /** Writes the whole frame to a stream (buffered by the caller: two writes, header and payload). */
    public static void write(Frame f, OutputStream out) throws IOException {
        byte[] h = new byte[Frame.HEADER_BYTES];
        header(f, h, 0);
        out.write(h);
        out.write(f.payload());
    }

    static int getInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
