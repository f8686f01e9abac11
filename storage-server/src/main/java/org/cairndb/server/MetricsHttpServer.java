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

/**
 * {@code GET /metrics}: the status figures as Prometheus text, on its own port. Binds loopback
 * unless told otherwise ({@code --metrics-host}); when the server has a shared secret the
 * request must carry it ({@code Authorization: Bearer SECRET}, or Basic with any user and the
 * secret as password; the read-only secret works too), else 401.
 */
final class MetricsHttpServer {
    private final Channel channel;

    MetricsHttpServer(CairnServer server, String host, int port, EventLoopGroup group) throws InterruptedException {
        channel = new ServerBootstrap()
                .group(group)
                .channel(Transports.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(
                                        new HttpServerCodec(),
                                        new HttpObjectAggregator(8192),
                                        new SimpleChannelInboundHandler<FullHttpRequest>() {
                                            @Override
                                            protected void channelRead0(
                                                    ChannelHandlerContext ctx, FullHttpRequest req) {
                                                boolean ok = req.uri().equals("/metrics")
                                                        || req.uri().startsWith("/metrics?");
                                                boolean allowed = authorized(
                                                        server, req.headers().get(HttpHeaderNames.AUTHORIZATION));
                                                HttpResponseStatus status = !allowed
                                                        ? HttpResponseStatus.UNAUTHORIZED
                                                        : ok ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND;
                                                String body = !allowed
                                                        ? "unauthorized: send the server's secret (Authorization: Bearer SECRET, or Basic with it as password)\n"
                                                        : ok
                                                                ? StatusReport.prometheus(server)
                                                                : "not found: try GET /metrics\n";
                                                FullHttpResponse resp = new DefaultFullHttpResponse(
                                                        HttpVersion.HTTP_1_1,
                                                        status,
                                                        Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
                                                if (!allowed)
                                                    resp.headers()
                                                            .set(
                                                                    HttpHeaderNames.WWW_AUTHENTICATE,
                                                                    "Basic realm=\"cairn metrics\"");
                                                resp.headers()
                                                        .set(
                                                                HttpHeaderNames.CONTENT_TYPE,
                                                                "text/plain; version=0.0.4; charset=utf-8");
                                                resp.headers()
                                                        .setInt(
                                                                HttpHeaderNames.CONTENT_LENGTH,
                                                                resp.content().readableBytes());
                                                ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
                                            }
                                        });
                    }
                })
                .bind(host, port)
                .sync()
                .channel();
    }

    /** True when the server has no shared secret, or the header carries one of its secrets. */
    static boolean authorized(CairnServer server, String header) {
        if (server.config.secret == null && server.config.readOnlySecret == null) return true;
        if (header == null) return false;
        String given = null;
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = header.substring(7).strip();
        } else if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(
                        java.util.Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                given = colon < 0 ? null : pair.substring(colon + 1);
            } catch (IllegalArgumentException notBase64) {
                return false;
            }
        }
        return given != null && server.authenticate(given) != null;
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
