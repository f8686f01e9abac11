package org.cairndb.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

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
    private enum State { LENGTH, BODY, FAILED }

    private final int maxFrame;
    private State state = State.LENGTH;
    private int length;

    public FrameDecoder(int maxFrame) {
        this.maxFrame = maxFrame;
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
                    length = FrameCodec.checkLength(in.readInt(), maxFrame);
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
                }
                case FAILED -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
            }
        }
    }
}
