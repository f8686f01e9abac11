package org.cairndb.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import org.cairndb.protocol.Frame;

/** Writes a {@link Frame} as {@code length | requestId | op | payload}. Stateless, so shared. */
@Sharable
public final class FrameEncoder extends MessageToByteEncoder<Frame> {
    public static final FrameEncoder INSTANCE = new FrameEncoder();

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Frame f, boolean preferDirect) {
        return ctx.alloc().ioBuffer(Frame.HEADER_BYTES + f.payload().length);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame f, ByteBuf out) {
        encode(f, out);
    }

    public static void encode(Frame f, ByteBuf out) {
        out.writeInt(5 + f.payload().length);
        out.writeInt(f.requestId());
        out.writeByte(f.op().code);
        out.writeBytes(f.payload());
    }
}
