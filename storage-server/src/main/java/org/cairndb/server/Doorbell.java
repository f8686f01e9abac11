package org.cairndb.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.security.SecureRandom;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.Message;
import org.cairndb.protocol.Op;

/**
 * The doorbell of one client connection: decides, frame by frame as they leave, whether a
 * push (a frame with request id 0, e.g. INVALIDATE) reaches a client that is reading, and if
 * not, rings the client's second, otherwise silent connection.
 *
 * <h2>Why</h2>
 * A blocking client reads its connection only while it waits for an answer. A push that comes
 * when it waits for nothing must wake a thread of the client, and a client cannot block on
 * "my socket became readable or a caller needs it" without paying a thread wake-up on every
 * request. With the doorbell the client's background thread blocks on the second connection
 * instead, and only pushes to an idle client wake it; a caller's requests cost no wake-up.
 *
 * <h2>The rule, and why it is exact</h2>
 * This handler sits in the pipeline between the frame codec and the session, so it sees every
 * request as it is read and every frame as it enters the outbound buffer, all on the
 * connection's event loop, in wire order. {@link #awaited} counts requests read that expect an
 * answer minus answers written. When a push is written with {@code awaited == 0}, every answer
 * the client awaits was written before it: the client's reader stops at its last answer and
 * would leave the push unread, so the bell rings (after the flush). When {@code awaited > 0},
 * an answer the client waits for comes after the push, and whoever reads for it reads the push
 * first. A request the server has not read yet only makes a ring redundant, never missing.
 * The RING carries the number of id-0 frames written so far; the client reads its main
 * connection until it has read that many (it may have read them already).
 *
 * <p>All fields are touched on the connection's event loop only, except {@link #bell},
 * which the doorbell connection's handshake sets through {@link #attach} on this loop.
 */
final class Doorbell extends ChannelDuplexHandler {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The key a client presents on its doorbell connection; drawn when it asks (DOORBELL_OPEN). */
    record Token(long high, long low) {
        static Token random() {
            return new Token(RANDOM.nextLong(), RANDOM.nextLong());
        }

        @Override
        public String toString() {
            return "doorbell token (hidden)"; // a secret: never in a log line
        }
    }

    private final CairnServer server;
    private Channel main;
    private Token token;
    private volatile Channel bell;
    private int awaited;
    private long pushes;
    private boolean ringDue;
    private volatile long rings;

    Doorbell(CairnServer server) {
        this.server = server;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        main = ctx.channel();
    }

    /** DOORBELL_OPEN, on this connection's event loop: the token to present on the second connection. */
    Token open() {
        if (token == null) {
            token = Token.random();
            server.doorbells.put(token, this);
        }
        return token;
    }

    /**
     * The doorbell connection shook hands: from now on it rings. Runs on the main connection's
     * loop; rings at once if pushes were written before it came (the client skips a ring for
     * pushes it has read).
     */
    void attach(Channel doorbell) {
        main.eventLoop().execute(() -> {
            if (!main.isActive() || bell != null) {
                doorbell.close(); // the main connection went meanwhile, or a second bell: one per connection
                return;
            }
            bell = doorbell;
            doorbell.closeFuture().addListener(f -> main.close()); // the pair lives and dies together
            if (pushes > 0) ring();
        });
    }

    boolean attached() {
        return bell != null;
    }

    long rings() {
        return rings;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Frame f && f.op().isRequest() && f.op().answered && f.requestId() != 0) awaited++;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof Frame f) {
            if (f.requestId() == 0) {
                pushes++;
                if (awaited <= 0) ringDue = true;
            } else if (f.op() == Op.RESULT || f.op() == Op.ERROR) {
                awaited--;
            }
        }
        ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        ctx.flush();
        if (ringDue && bell != null) ring();
    }

    private void ring() {
        ringDue = false;
        rings++;
        bell.writeAndFlush(new Message.Ring(pushes).frame(0), bell.voidPromise());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (token != null) server.doorbells.remove(token, this);
        if (bell != null) bell.close();
        ctx.fireChannelInactive();
    }
}
