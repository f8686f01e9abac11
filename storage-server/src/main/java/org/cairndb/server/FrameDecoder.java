package org.cairndb.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.FrameCodec;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.ProtocolException;

/**
 * Turns bytes into {@link Frame}s. An explicit state machine, so it works whatever way the
 * bytes are split (tests feed them one at a time):
 *
 * <pre>
 *   LENGTH  --4 bytes: length L (5 &lt;= L &lt;= maxFrame)-->  BODY
 *   BODY    --L bytes: request id, op, payload---------->  LENGTH (emit Frame)
 *   any     --bad length or unknown op------------------>  FAILED (throws ProtocolException once,
 *                                                          then discards everything)
 * </pre>
 *
 * Worked example: a PING with request id 7 and no payload is the 9 bytes
 * {@code 00 00 00 05 | 00 00 00 07 | 18}.
 *
 * <p>An oversize length is refused from the four length bytes alone, before any of the body is
 * buffered, so a hostile peer cannot make the receiver allocate the memory it announces.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private enum State {
        LENGTH,
        BODY,
        FAILED
    }

    private final int maxFrame;
    /** The limit in force: {@link #handshakeMaxFrame} until {@link #authenticated()}, then maxFrame. */
    private volatile int limit;

    private State state = State.LENGTH;
    private int length;

    public FrameDecoder(int maxFrame) {
        this.maxFrame = maxFrame;
        this.limit = maxFrame;
    }

    /**
     * A decoder for a server connection that has not authenticated yet: frames above
     * {@code handshakeMaxFrame} are refused until {@link #authenticated()}. Until then one frame
     * is decoded at a time, so the limit is lifted before the next frame's length is read.
     */
    public FrameDecoder(int maxFrame, int handshakeMaxFrame) {
        this.maxFrame = maxFrame;
        this.limit = Math.min(maxFrame, handshakeMaxFrame);
    }

    /** The peer authenticated (on the event loop, while handling its handshake frame): frames up to maxFrame from now on. */
    public void authenticated() {
        limit = maxFrame;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            decodeFrames(in, out);
        } catch (ProtocolException e) {
            // a refused length or op: discard the rest of the input and everything after it
            state = State.FAILED;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private void decodeFrames(ByteBuf in, List<Object> out) {
        while (true) {
            switch (state) {
                case LENGTH -> {
                    if (in.readableBytes() < 4) return;
                    int max = limit;
                    int len = in.readInt();
                    if (max < maxFrame && len > max && (len >>> 16) != 0x1603) {
                        throw new ProtocolException(
                                "frame length " + len + " exceeds the " + max + " bytes a connection may send before"
                                        + " its HELLO (or DOORBELL) is accepted; send HELLO first");
                    }
                    length = FrameCodec.checkLength(len, max);
                    state = State.BODY;
                }
                case BODY -> {
                    if (in.readableBytes() < length) return;
                    int requestId = in.readInt();
                    byte code = in.readByte();
                    Op op = FrameCodec.checkOp(code, requestId);
                    byte[] payload = new byte[length - 5];
                    in.readBytes(payload);
                    state = State.LENGTH;
                    out.add(new Frame(requestId, op, payload));
                    if (limit < maxFrame)
                        return; // handshake: the frame may lift the limit before the next length is read
                }
                case FAILED -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
            }
        }
    }
}
