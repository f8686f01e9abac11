package org.cairndb.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.cairndb.protocol.Transports;

/** {@code GET /metrics}: the status figures as Prometheus text, on its own port. */
final class MetricsHttpServer {
    private final Channel channel;

    MetricsHttpServer(CairnServer server, String host, int port, EventLoopGroup group) throws InterruptedException {
        channel = new ServerBootstrap().group(group).channel(Transports.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), new SimpleChannelInboundHandler<FullHttpRequest>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                boolean ok = req.uri().equals("/metrics") || req.uri().startsWith("/metrics?");
                                String body = ok ? StatusReport.prometheus(server) : "not found: try GET /metrics\n";
                                FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                        ok ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND,
                                        Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
                                resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                                resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes());
                                ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
                            }
                        });
                    }
                }).bind(host, port).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    String address() {
        InetSocketAddress a = (InetSocketAddress) channel.localAddress();
        return a.getHostString() + ":" + a.getPort();
    }

    void close() {
        channel.close().syncUninterruptibly();
    }
}
