package org.cairndb.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads {@link Frame}s from a blocking stream (the client's socket), through its own buffer:
 * one {@code read} call usually brings a whole answer, and a read that ends in an exception
 * (a read timeout, the deadline of a request) leaves every byte already received in the
 * buffer, so the next {@link #read()} resumes in the middle of a frame. The length and op are
 * checked by {@link FrameCodec} exactly as the server's Netty decoder checks them; an
 * oversize length is refused before its body is buffered.
 *
 * <p>Not thread-safe: one reader at a time (the client hands the reading role over under a
 * lock, which also publishes this buffer to the next reader).
 */
public final class FrameReader {
    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final int maxFrame;
    private byte[] buf = new byte[BUFFER];
    private int start;
    private int end;

    public FrameReader(InputStream in, int maxFrame) {
        this.in = in;
        this.maxFrame = maxFrame;
    }

    /** The next frame; blocks until it is complete. EOFException when the peer closed between or inside frames. */
    public Frame read() throws IOException {
        fill(4);
        int len = FrameCodec.checkLength(FrameCodec.getInt(buf, start), maxFrame);
        fill(4 + len);
        int requestId = FrameCodec.getInt(buf, start + 4);
        Op op = FrameCodec.checkOp(buf[start + 8], requestId);
        byte[] payload = len == 5 ? Frame.EMPTY : Arrays.copyOfRange(buf, start + Frame.HEADER_BYTES, start + 4 + len);
        start += 4 + len;
        if (start == end) {
            start = end = 0;
            if (buf.length > BUFFER) buf = new byte[BUFFER]; // a huge frame passed; give its buffer back
        }
        return new Frame(requestId, op, payload);
    }

    /** Whether a whole frame is already buffered (reading it will not block). */
    public boolean hasBufferedFrame() {
        return end - start >= 4 && end - start >= 4 + FrameCodec.getInt(buf, start);
    }

    private void fill(int need) throws IOException {
        if (end - start >= need) return;
        if (start + need > buf.length) {
            byte[] b = need > buf.length ? new byte[need] : buf;
            System.arraycopy(buf, start, b, 0, end - start);
            end -= start;
            start = 0;
            buf = b;
        }
        while (end - start < need) {
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                throw new EOFException(
                        end == start
                                ? "connection closed by the peer"
                                : "connection closed by the peer inside a frame (" + (end - start) + " of " + need
                                        + " bytes received)");
            }
            end += n;
        }
    }
}
