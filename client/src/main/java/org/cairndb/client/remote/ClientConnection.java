package org.cairndb.client.remote;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslContext;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.cairndb.protocol.AuthenticationException;
import org.cairndb.protocol.ErrorCodec;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.FrameDecoder;
import org.cairndb.protocol.FrameEncoder;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.protocol.Protocol;
import org.cairndb.protocol.ProtocolException;
import org.cairndb.protocol.Transports;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.StorageClosedException;
import org.cairndb.storage.StorageException;

/**
 * The one TCP connection of a {@link RemoteStorage}, and its reconnection.
 *
 * <h2>Waiting</h2>
 * A caller registers a {@link Pending} under a fresh request id, writes the frame and waits
 * on the future; the event loop completes it the moment the answer is decoded. Every path
 * that loses the answer completes it too: a failed write, the connection dropping (all
 * pending fail with {@link RetryableException}), {@link #close()} ({@link StorageClosedException}).
 * The only timed element is a deadline ({@code request-timeout}) that fails a request whose
 * answer never comes; it never decides when an answered request proceeds.
 *
 * <h2>Generations</h2>
 * Each successful handshake is a new {@link Link} with a higher generation. A transaction
 * remembers the generation it began on: the server forgot it when that connection dropped,
 * so any later op of it fails with {@link RetryableException} instead of being sent on the
 * new connection.
 *
 * <h2>Reconnecting</h2>
 * After a drop the connection retries at once, then with a growing pause (50 ms doubling
 * to 1 s): there is no event that announces a restarted server, so this is the one place a
 * timer schedules work; no request waits on it (requests wait for the {@link #ready} future,
 * completed by the successful handshake, or fail at their deadline).
 */
final class ClientConnection {
    record Link(Channel channel, int generation) {}

    private static volatile EventLoopGroup sharedGroup;

    private final RemoteStorage owner;
    private final RemoteOptions options;
    private final SslContext ssl;
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile CompletableFuture<Link> ready = new CompletableFuture<>();
    private volatile Link link;
    private volatile boolean closed;
    private volatile RuntimeException lastServerError;
    private volatile Throwable lastError;
    private volatile Pending handshake;
    private volatile Channel handshakeChannel;
    private int generations;
    private long backoffMillis;

    ClientConnection(RemoteStorage owner, RemoteOptions options) {
        this.owner = owner;
        this.options = options;
        this.ssl = options.tlsKeyStore == null && options.tlsTrustStore == null ? null
                : org.cairndb.protocol.Tls.client(options.tlsKeyStore, options.tlsTrustStore, options.tlsPassword);
    }

    static EventLoopGroup group() {
        EventLoopGroup g = sharedGroup;
        if (g == null) {
            synchronized (ClientConnection.class) {
                g = sharedGroup;
                if (g == null) sharedGroup = g = Transports.group(1, "cairn-client-io");
            }
        }
        return g;
    }

    /** Connects and shakes hands, waiting up to the connect timeout; throws with the reason on failure. */
    void open() {
        attempt(true);
        awaitReady();
    }

    private void attempt(boolean first) {
        if (closed) return;
        Bootstrap b = new Bootstrap().group(group()).channel(Transports.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, options.connectTimeoutMillis))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc(), options.host, options.port));
                        ch.pipeline().addLast("decoder", new FrameDecoder(options.maxFrame));
                        ch.pipeline().addLast("encoder", FrameEncoder.INSTANCE);
                        ch.pipeline().addLast("handler", new Handler());
                    }
                });
        b.connect(options.host, options.port).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                hello(f.channel());
            } else if (first) {
                ready.completeExceptionally(new StorageException("cannot connect to " + options.describe() + ": "
                        + f.cause().getMessage() + " (is the server running? start it with: cairn serve --port " + options.port + " --storage "
                        + options.storage + "=mem:)", f.cause()));
            } else {
                scheduleReconnect();
            }
        });
    }

    private void hello(Channel ch) {
        int id = nextId();
        Pending p = new Pending(null);
        pending.put(id, p);
        handshakeChannel = ch;
        handshake = p;
        long since = owner.lastTidSeen();
        ch.writeAndFlush(new PayloadWriter(64).i32(Protocol.MAGIC).i32(Protocol.VERSION).str(options.storage)
                .str(options.secret == null ? "" : options.secret).bool(options.readOnly).i64(since).frame(id, Op.HELLO));
        p.whenComplete((frame, err) -> {
            handshake = null;
            if (err != null) {
                fail(err instanceof RuntimeException r ? r : new StorageException(err.getMessage(), err));
                return;
            }
            if (frame.op() == Op.ERROR) {
                RuntimeException e = ErrorCodec.decode(frame, options.describe());
                ch.close();
                fail(e);
                return;
            }
            // on the event loop, before any push that follows the answer
            owner.applyHello(frame, since);
            Link l;
            synchronized (this) {
                l = new Link(ch, ++generations);
                link = l;
                backoffMillis = 0;
            }
            ready.complete(l);
        });
    }

    /** A failed handshake: fatal (auth, version) ends reconnecting; others retry. */
    private void fail(RuntimeException e) {
        if (e instanceof AuthenticationException || e instanceof ProtocolException || !owner.everConnected()) {
            ready.completeExceptionally(e);
        } else {
            scheduleReconnect();
        }
    }

    private void scheduleReconnect() {
        if (closed) return;
        long delay;
        synchronized (this) {
            delay = backoffMillis;
            backoffMillis = backoffMillis == 0 ? 50 : Math.min(1000, backoffMillis * 2);
        }
        group().schedule(() -> attempt(false), delay, TimeUnit.MILLISECONDS);
    }

    private void dropped(Channel ch) {
        synchronized (this) {
            if (link == null || link.channel() != ch) return;
            link = null;
            if (ready.isDone()) ready = new CompletableFuture<>();
        }
        RuntimeException why = lastServerError;
        String reason = "connection to " + options.describe() + " lost" + (why != null ? " (" + why.getMessage() + ")" : "")
                + "; the request was not answered and any transaction in flight is aborted by the server; retry it";
        failAll(() -> new RetryableException(reason));
        lastServerError = null;
        if (!closed) scheduleReconnect();
    }

    private void failAll(java.util.function.Supplier<RuntimeException> error) {
        for (Integer id : pending.keySet()) {
            Pending p = pending.remove(id);
            if (p != null) p.completeExceptionally(error.get());
        }
    }

    Link awaitReady() {
        if (closed) throw new StorageClosedException("remote storage " + options.describe());
        Link l = link;
        if (l != null) return l;
        try {
            return ready.get(options.connectTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new RetryableException("not connected to " + options.describe() + " within the connect timeout of "
                    + options.connectTimeoutMillis + " ms (the server may be restarting; retry later)");
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for the connection to " + options.describe(), e);
        }
    }

    /** Sends a request and waits for its answer (RESULT frame; ERROR frames are thrown). */
    Frame call(Op op, PayloadWriter payload, int generation, LoadWatch watch) {
        Link l = awaitReady();
        if (generation > 0 && l.generation() != generation) throw lostTransaction();
        int id = nextId();
        Pending p = new Pending(watch);
        pending.put(id, p);
        l.channel().writeAndFlush(payload.frame(id, op)).addListener(f -> {
            if (!f.isSuccess() && pending.remove(id) != null) {
                p.completeExceptionally(new RetryableException("could not send " + op + " to " + options.describe() + ": " + f.cause()));
            }
        });
        if (closed) failAll(() -> new StorageClosedException("remote storage " + options.describe()));
        Frame answer = await(p, id, op);
        if (answer.op() == Op.ERROR) throw ErrorCodec.decode(answer, options.describe());
        return answer;
    }

    private Frame await(Pending p, int id, Op op) {
        try {
            return p.get(options.requestTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.remove(id);
            throw new StorageException("no answer to " + op + " from " + options.describe() + " within the request timeout of "
                    + options.requestTimeoutMillis + " ms (raise ?request-timeout=seconds, or check the server with cairn status)");
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            pending.remove(id);
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for " + op + " from " + options.describe(), e);
        }
    }

    /** Writes a streamed (unanswered) frame of a transaction on its generation; flushes when asked. */
    void send(Op op, PayloadWriter payload, int generation, boolean flush) {
        Link l = awaitReady();
        if (l.generation() != generation) throw lostTransaction();
        Frame f = payload.frame(0, op);
        if (flush) l.channel().writeAndFlush(f, l.channel().voidPromise());
        else l.channel().write(f, l.channel().voidPromise());
    }

    /** Sends without waiting or caring about the generation (ABORT, ITERATE_CLOSE). */
    void sendIfConnected(Op op, PayloadWriter payload, int generation) {
        Link l = link;
        if (l != null && l.generation() == generation) l.channel().writeAndFlush(payload.frame(0, op), l.channel().voidPromise());
    }

    int generation() {
        return awaitReady().generation();
    }

    /** The generation of the live connection, or -1 while disconnected. */
    int currentGeneration() {
        Link l = link;
        return l == null ? -1 : l.generation();
    }

    private static String tlsHint() {
        return " (with TLS this means the handshake failed: the server did not accept this client's certificate, or the client"
                + " does not trust the server's; check ?tls-keystore= and ?tls-truststore=)";
    }

    private RetryableException lostTransaction() {
        return new RetryableException("the connection to " + options.describe() + " was lost and re-established during this"
                + " transaction or view; the server aborted the transaction (or dropped the view's snapshot). Retry the transaction"
                + " (a view: sync it)");
    }

    private int nextId() {
        int id;
        do {
            id = ids.incrementAndGet();
        } while (id == 0);
        return id;
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            // a fresh exception of the same kind would lose the cause; keep the original, it names the server
            return r;
        }
        return new StorageException(String.valueOf(t.getMessage()), t);
    }

    void close() {
        closed = true;
        Link l = link;
        link = null;
        StorageClosedException e = new StorageClosedException("remote storage " + options.describe());
        ready.completeExceptionally(e);
        failAll(() -> new StorageClosedException("remote storage " + options.describe()));
        if (l != null) l.channel().close().syncUninterruptibly();
    }

    /** The event-loop side: answers, pushes, drops. */
    private final class Handler extends SimpleChannelInboundHandler<Frame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame f) {
            switch (f.op()) {
                case INVALIDATE -> owner.applyInvalidation(f.reader());
                case RESULT, ERROR -> {
                    if (f.requestId() == 0) {
                        lastServerError = f.op() == Op.ERROR ? ErrorCodec.decode(f, options.describe()) : null;
                        return;
                    }
                    Pending p = pending.remove(f.requestId());
                    if (p == null) return; // its caller gave up (deadline, interrupt)
                    if (p.watch != null) owner.applyLoadAnswer(p.watch, f);
                    p.complete(f);
                }
                default -> throw new ProtocolException("server sent a " + f.op() + " frame (request id " + f.requestId() + "), which only clients send");
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Pending h = handshake;
            if (h != null && handshakeChannel == ctx.channel() && !h.isDone()) {
                Throwable why = lastError;
                h.completeExceptionally(new RetryableException("connection to " + options.describe() + " closed during the handshake"
                        + (why != null ? ": " + why.getMessage() : "") + (ssl != null ? tlsHint() : "")));
            }
            dropped(ctx.channel());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
            lastError = c;
            ctx.close();
        }
    }
}
