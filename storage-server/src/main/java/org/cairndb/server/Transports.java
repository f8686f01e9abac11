package org.cairndb.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Native epoll where the platform has it (fewer copies, no selector wake-up games), NIO
 * elsewhere; {@code -Dcairn.transport=nio} forces NIO. Server and client pick the same way.
 */
public final class Transports {
    private Transports() {}

    public static boolean epoll() {
        return !"nio".equalsIgnoreCase(System.getProperty("cairn.transport")) && Epoll.isAvailable();
    }

    public static String name() {
        return epoll() ? "epoll" : "nio";
    }

    public static EventLoopGroup group(int threads, String prefix) {
        ThreadFactory tf = daemonThreads(prefix);
        return new MultiThreadIoEventLoopGroup(
                threads, tf, epoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    public static Class<? extends SocketChannel> socketChannel() {
        return epoll() ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public static Class<? extends ServerSocketChannel> serverChannel() {
        return epoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
