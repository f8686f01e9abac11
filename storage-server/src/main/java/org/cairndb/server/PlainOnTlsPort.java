package org.cairndb.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.cairndb.protocol.ErrorCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a TLS port, sits before the TLS handler and looks at the first byte a client sends. A TLS
 * client starts with a handshake record (0x16) and this handler steps aside. Anything else is a
 * client speaking plain TCP to a TLS server: without this the TLS handler would fail with "not
 * an SSL/TLS record" and close, and the client would only see its connection end. Instead the
 * client gets a plain Cairn ERROR frame saying which side speaks TLS, and the connection closes.
 */
final class PlainOnTlsPort extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(PlainOnTlsPort.class);
    private static final int TLS_HANDSHAKE = 0x16;

    private boolean refused;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            io.netty.util.ReferenceCountUtil.release(msg); // only the close is left
            return;
        }
        if (msg instanceof ByteBuf b && b.isReadable()) {
            if (b.getUnsignedByte(b.readerIndex()) == TLS_HANDSHAKE) {
                ctx.pipeline().remove(this);
                ctx.fireChannelRead(msg);
                return;
            }
            b.release();
            refused = true;
            String why =
                    "this server speaks TLS only and the client connected with plain TCP: give the client its TLS credentials"
                            + " (cairn://...?tls-keystore=...&tls-truststore=...&tls-password=..., or for cairn status --tls-keystore,"
                            + " --tls-truststore and --tls-password)";
            log.info("refused {}: {}", ctx.channel().remoteAddress(), why);
            ByteBuf out = ctx.alloc().buffer();
            FrameEncoder.encode(ErrorCodec.encode(0, ErrorCodec.PROTOCOL, why), out);
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
