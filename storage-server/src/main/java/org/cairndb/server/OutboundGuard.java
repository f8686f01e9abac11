package org.cairndb.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.MessageSizeEstimator;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.cairndb.protocol.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds what the server queues for one peer that does not read: in bytes and in age.
 *
 * <h2>Why</h2>
 * Netty queues every write to a connection without limit. A client that stops reading (stopped
 * with SIGSTOP, hung, or hostile: it sends loads of a big object and never reads the answers)
 * makes its queue grow until the server runs out of memory, and anybody waiting for a write to
 * it waits forever. Nobody on the server waits for a write any more (a commit's answer does not
 * wait for its invalidations to reach other clients' sockets); this handler keeps the queue
 * itself bounded.
 *
 * <h2>The rule</h2>
 * The connection has Netty's write buffer water marks ({@code --outbound-high-water}, low
 * water half of it). Every queued frame counts, also one still in the event loop's task queue
 * ({@link #SIZES} estimates a frame by its length). Above the high water mark the channel is
 * unwritable: the session stops reading requests from the peer (its answers cannot go out
 * anyway), and a timer starts ({@code --write-stall-timeout}). When it fires and the peer took
 * no byte off the queue since the last look (the same first buffer, as many bytes left in it)
 * the peer is stuck: it is disconnected with a forced close (RST, the queue is dropped at once;
 * a graceful close would wait for the queue to drain). A slow peer that does read is left alone.
 * Independently, a queue above {@code --max-outbound-bytes} is dropped the same way at once.
 * A disconnected client reconnects through the normal path: its HELLO carries the last tid it
 * saw, and the server's answer tells it which cached objects to drop (all, if its history does
 * not reach back), as after a server restart.
 *
 * <p>Sits first in the pipeline (next to the socket), so it sees the bytes as they are handed to
 * the transport. All state is touched on the channel's event loop; {@link #overLimit} may be
 * asked from any thread (it reads a volatile count).
 */
final class OutboundGuard extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(OutboundGuard.class);

    /** Sizes a queued frame by its encoded length, so queued-but-not-yet-encoded frames count toward the water marks. */
    static final MessageSizeEstimator SIZES = () -> msg -> {
        if (msg instanceof Frame f) return Frame.HEADER_BYTES + f.payload().length;
        if (msg instanceof ByteBuf b) return b.readableBytes();
        return 8;
    };

    private final ServerStats stats;
    private final long maxBytes;
    private final long stallMillis;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> check;
    private Object lastSeen;
    private long lastLeft = -1;
    private volatile boolean dropped;

    OutboundGuard(ServerStats stats, long maxBytes, long stallMillis) {
        this.stats = stats;
        this.maxBytes = maxBytes;
        this.stallMillis = stallMillis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Bytes queued for the peer and not yet taken by the kernel (any thread). */
    static long queued(Channel ch) {
        ChannelOutboundBuffer b = ch.unsafe().outboundBuffer();
        return b == null ? 0 : b.totalPendingWriteBytes();
    }

    /** True (and the peer dropped) when its queue is over the byte bound; any thread. */
    boolean overLimit() {
        if (dropped) return true;
        long q = queued(ctx.channel());
        if (q <= maxBytes) return false;
        ctx.channel()
                .eventLoop()
                .execute(() -> drop("it has " + q + " bytes queued that it has not read, over the limit of " + maxBytes
                        + " (--max-outbound-bytes)"));
        return true;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg, promise);
        if (queued(ctx.channel()) > maxBytes) {
            drop("it has " + queued(ctx.channel()) + " bytes queued that it has not read, over the limit of " + maxBytes
                    + " (--max-outbound-bytes)");
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!ctx.channel().isWritable()) {
            if (check == null && stallMillis > 0) {
                snapshot();
                check = ctx.executor().schedule(this::look, stallMillis, TimeUnit.MILLISECONDS);
            }
        } else if (check != null) {
            check.cancel(false);
            check = null;
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** The stall timer: still over the high water mark with no byte taken since the last look means stuck. */
    private void look() {
        check = null;
        Channel ch = ctx.channel();
        if (!ch.isActive() || ch.isWritable()) return;
        ChannelOutboundBuffer b = ch.unsafe().outboundBuffer();
        Object first = b == null ? null : b.current();
        long left = first instanceof ByteBuf buf ? buf.readableBytes() : -1;
        if (first == lastSeen && left == lastLeft) {
            drop("it has read nothing for " + stallMillis + " ms with " + queued(ch)
                    + " bytes queued for it (--write-stall-timeout)");
            return;
        }
        snapshot();
        check = ctx.executor().schedule(this::look, stallMillis, TimeUnit.MILLISECONDS);
    }

    private void snapshot() {
        ChannelOutboundBuffer b = ctx.channel().unsafe().outboundBuffer();
        lastSeen = b == null ? null : b.current();
        lastLeft = lastSeen instanceof ByteBuf buf ? buf.readableBytes() : -1;
    }

    /** Forced close: reset the connection and drop its queue now (a graceful close would wait to send it). Event loop. */
    private void drop(String why) {
        Channel ch = ctx.channel();
        if (dropped || !ch.isOpen()) return;
        dropped = true;
        stats.slowPeersDropped.increment();
        log.warn("disconnecting {}: {}; it reconnects and revalidates its cache", ch.remoteAddress(), why);
        try {
            ch.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException ignored) {
            // not every transport lets us; the close below still drops the queue
        }
        ch.close();
    }

    /** Drops the peer at once (the idle timeout, or a refusal that cannot be written). */
    void forceClose(String why) {
        if (ctx.executor().inEventLoop()) drop(why);
        else ctx.executor().execute(() -> drop(why));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (check != null) check.cancel(false);
        check = null;
        ctx.fireChannelInactive();
    }
}
