package org.cairndb.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.cairndb.protocol.ErrorCodec;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.HelloAnswer;
import org.cairndb.protocol.Message;
import org.cairndb.protocol.Messages;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.protocol.Protocol;
import org.cairndb.protocol.ProtocolException;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.HistoryEntry;
import org.cairndb.storage.Invalidations;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.PackProgress;
import org.cairndb.storage.PackResult;
import org.cairndb.storage.ReadOnlyException;
import org.cairndb.storage.Revision;
import org.cairndb.storage.StorageMisuseException;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.TransactionRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, through its {@link Phase}s: the first frame is judged by
 * {@link Handshake}, then every request of the protocol is dispatched here; the transaction
 * ops are {@link ConnectionTransactions}', back-pressure is {@link FlowControl}'s.
 *
 * <p>Still over 400 lines: it dispatches every request outside a transaction itself (loads,
 * iteration, views, NEW_OIDS, pack, restore, status; the cursors and views a connection holds
 * open are {@link OpenCursors}') and owns the connection's end (refusal, idle timeout,
 * disconnect). The dispatch is one switch over the protocol's requests, each case a few
 * lines: split by kind it would be read in several places to see what a connection answers.
 *
 * <h2>Threads</h2>
 * Frames are decoded and dispatched on the connection's event loop. Anything that calls the
 * storage runs on the worker pool ({@link #work}); the answer is written from the worker
 * (Netty queues it to the event loop). Transaction ops run in order on their transaction's
 * serial executor ({@link ConnectionTransactions}). PING, LAST_TID and STATUS are answered on the event
 * loop (they touch no storage), and so are loads of storages whose reads never block
 * ({@link ServedStorage#inlineReads}): the hand-off to a worker and back costs two thread
 * wake-ups, as much as the network round trip itself on loopback.
 *
 * <h2>Limits</h2>
 * The connection is read only while fewer than {@code maxInFlight} requests of the client are
 * queued or running, none of them waits for a thread of the bounded worker pool, and its
 * outbound queue is below the high water mark ({@link FlowControl}; {@link OutboundGuard} also
 * drops a client that reads nothing). Before HELLO ({@link Phase}): a deadline (a timer) and a
 * small frame limit; failed logins wait for their slot ({@link LoginThrottle}). A malformed,
 * oversize or unknown frame gets an ERROR frame naming the problem and the connection is
 * closed; the server and other clients go on.
 *
 * <h2>Deadlines</h2>
 * A voted transaction gets no FINISH or ABORT within {@code --vote-timeout}: a timer aborts it
 * (see {@link ConnectionTransactions}). The idle timeout counts from the later of the last frame
 * read and the last answer owed, so a client waiting for an answer (a vote queued for the
 * commit lock) is never idle.
 *
 * <h2>Disconnect</h2>
 * When the connection goes, every open transaction is aborted on its serial executor: a
 * voted one (holding the commit lock) at once, one still waiting in vote as soon as its vote
 * returns. Open iterators and views are closed.
 */
final class Session extends SimpleChannelInboundHandler<Frame> {
    private static final Logger log = LoggerFactory.getLogger(Session.class);

    private final CairnServer server;
    private final ServerStats stats;
    private Channel channel;
    /** This connection's outbound bound (kept: the pipeline is emptied when the channel closes). */
    private OutboundGuard guard;

    private ServedStorage served;
    /** What this connection is; event loop only. Ending (refused, closed) is said apart: it can end in any phase. */
    private Phase phase = Phase.AWAITING_HELLO;

    private boolean readOnly;
    /** The transactions of this connection; set when it logs in to a storage. */
    private ConnectionTransactions transactions;
    /** The iteration cursors and views this connection holds open. */
    private final OpenCursors cursors;
    /** When this connection's requests may be read (set when it connects). */
    private FlowControl flow;
    /** Judges the first frame (set when the connection is admitted). */
    private Handshake handshake;
    /** Counted against the connection limits (released when it closes). */
    private boolean admitted;
    /** The connection is gone (any thread reads it: work still running for it is abandoned). */
    private volatile boolean closed;
    /** An error was sent and the connection is being closed: nothing more is read. */
    private boolean refused;

    final long connectedAtMillis = System.currentTimeMillis();

    /**
     * The life of a connection, one at a time:
     *
     * <pre>
     *   AWAITING_HELLO --HELLO, no login wait---------------> STORAGE, or ADMIN (storage "")
     *   AWAITING_HELLO --HELLO after failed logins----------> JUDGING_HELLO --its slot (a timer)--> AWAITING_HELLO, then as above
     *   AWAITING_HELLO --DOORBELL with a known token--------> DOORBELL
     * </pre>
     *
     * A refused HELLO leaves the phase as it was; the refusal ends the connection.
     */
    enum Phase {
        /** Connected: the first frame must be HELLO or DOORBELL, within the hello timeout. */
        AWAITING_HELLO,
        /** A HELLO waits for its login slot ({@link LoginThrottle}): any frame meanwhile is a protocol error. */
        JUDGING_HELLO,
        /** Logged in to a storage: every request. */
        STORAGE,
        /** Logged in without a storage: STATUS and PING only. */
        ADMIN,
        /** The doorbell of another connection: the server only writes RING frames to it. */
        DOORBELL
    }

    Session(CairnServer server) {
        this.server = server;
        this.cursors = new OpenCursors(server.workers);
        this.stats = server.stats;
    }

    /** The connection is gone (any thread). */
    boolean isClosed() {
        return closed;
    }

    String describe() {
        return (channel == null ? "?" : String.valueOf(channel.remoteAddress())) + " storage="
                + (served == null ? (phase == Phase.ADMIN ? "(admin)" : "-") : served.name)
                + (readOnly ? " read-only" : "") + " txns=" + (transactions == null ? 0 : transactions.open())
                + " in-flight=" + (flow == null ? 0 : flow.inFlight()) + doorbellState();
    }

    private String doorbellState() {
        Doorbell d = channel == null ? null : channel.pipeline().get(Doorbell.class);
        return d != null && d.attached() ? " doorbell rings=" + d.rings() : "";
    }

    /**
     * Queues a push (an INVALIDATE) to this client; any thread. Never waits for the client: a
     * client over its outbound bound is disconnected instead (see {@link OutboundGuard}).
     */
    void push(Frame f) {
        if (!guard.overLimit()) channel.writeAndFlush(f, channel.voidPromise());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        guard = channel.pipeline().get(OutboundGuard.class);
        flow = new FlowControl(channel, server.config.maxInFlight, server.workers);
        stats.connectionsAccepted.increment();
        stats.clients.incrementAndGet();
        if (!server.config.hasCredentials() && !isLoopback(channel.remoteAddress())) {
            refuse(
                    0,
                    ErrorCodec.AUTH,
                    "this server has no credentials configured and accepts loopback connections only;"
                            + " start it with --secret or TLS to accept " + channel.remoteAddress());
            return;
        }
        String over = server.limits.admit(channel.remoteAddress());
        if (over != null) {
            stats.connectionsRefused.increment();
            int n = server.limits.logDue();
            if (n > 0)
                log.warn(
                        "refused {} connection(s) at a limit since the last such line (at most one a minute), now {}: {}",
                        n,
                        channel.remoteAddress(),
                        over);
            refuse(0, ErrorCodec.LIMIT, "connection refused: " + over);
            return;
        }
        admitted = true;
        handshake = new Handshake(this, server, channel);
        handshake.start();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame f) {
        long start = System.nanoTime();
        if (refused || !ctx.channel().isActive()) return; // after an error or a forced close only the close is left
        if (phase == Phase.JUDGING_HELLO)
            throw new ProtocolException(
                    f.op() + " sent before the HELLO was answered (request id " + f.requestId() + ")");
        if (phase == Phase.DOORBELL) {
            throw new ProtocolException("a doorbell connection carries only RING frames from the server; got " + f.op()
                    + " (send requests on the connection that opened the doorbell)");
        }
        if (phase == Phase.AWAITING_HELLO) {
            handshake.firstFrame(f, start);
            return;
        }
        if (!f.op().isRequest()) {
            throw new ProtocolException(
                    f.op() + " frames go from server to client only (request id " + f.requestId() + ")");
        }
        if (f.op() == Op.HELLO)
            throw new ProtocolException("HELLO sent twice on one connection (request id " + f.requestId() + ")");
        if (f.op() == Op.DOORBELL)
            throw new ProtocolException("DOORBELL is the first frame of a second connection, not a request on this one"
                    + " (request id " + f.requestId() + ")");
        if (phase == Phase.ADMIN && f.op() != Op.STATUS && f.op() != Op.PING) {
            throw new ProtocolException(
                    f.op() + " needs a storage; this connection said HELLO without a storage name (status only)");
        }
        dispatch(f, Message.decode(f), start);
    }

    private void dispatch(Frame f, Message m, long start) {
        int id = f.requestId();
        switch (f.op()) {
            case PING -> {
                answerNow(id, new PayloadWriter(0), Op.PING, start);
            }
            case DOORBELL_OPEN -> {
                Doorbell.Token t = channel.pipeline().get(Doorbell.class).open();
                answerNow(id, new PayloadWriter(16).i64(t.high()).i64(t.low()), Op.DOORBELL_OPEN, start);
            }
            case LAST_TID -> {
                flow.enter();
                // behind the pushes already queued to this connection, which the tid covers (see ServedStorage)
                Frame reply = new PayloadWriter(8).i64(served.lastPublished()).frame(id, Op.RESULT);
                channel.eventLoop().execute(() -> answer(reply, Op.LAST_TID, start));
            }
            case STATUS -> {
                boolean prometheus = ((Message.Status) m).prometheus();
                work(id, Op.STATUS, start, () -> {
                    String text = prometheus ? StatusReport.prometheus(server) : StatusReport.text(server);
                    return new PayloadWriter(text.length() + 8).str(text);
                });
            }
            case LOAD -> {
                long oid = ((Message.Load) m).oid();
                read(id, Op.LOAD, start, () -> loaded(served.storage.load(oid)));
            }
            case LOAD_BEFORE -> {
                Message.LoadBefore l = (Message.LoadBefore) m;
                long oid = l.oid();
                long before = l.beforeTid();
                read(id, Op.LOAD_BEFORE, start, () -> loaded(served.storage.loadBefore(oid, before)));
            }
            case LOAD_SERIAL -> {
                Message.LoadSerial l = (Message.LoadSerial) m;
                long oid = l.oid();
                long tid = l.tid();
                read(id, Op.LOAD_SERIAL, start, () -> loaded(served.storage.loadSerial(oid, tid)));
            }
            case NEW_OIDS -> {
                int n = ((Message.NewOids) m).count();
                work(id, Op.NEW_OIDS, start, () -> {
                    requireWritable("newOids");
                    if (n < 1 || n > Protocol.MAX_NEW_OIDS) {
                        // refused before the storage allocates any: only what is answered is allocated
                        throw new StorageMisuseException("NEW_OIDS count " + n + " is out of range 1.."
                                + Protocol.MAX_NEW_OIDS + "; ask for more in several requests");
                    }
                    return new PayloadWriter(4 + 8 * Math.max(0, n)).longs(served.storage.newOids(n));
                });
            }
            case OBJECT_COUNT -> {
                work(id, Op.OBJECT_COUNT, start, () -> new PayloadWriter(8).i64(served.storage.objectCount()));
            }
            case SIZE_IN_BYTES -> {
                work(id, Op.SIZE_IN_BYTES, start, () -> new PayloadWriter(8).i64(served.storage.sizeInBytes()));
            }
            case HISTORY -> {
                Message.History h0 = (Message.History) m;
                long oid = h0.oid();
                int max = h0.max();
                work(id, Op.HISTORY, start, () -> {
                    List<HistoryEntry> h = served.storage.history(oid, max);
                    PayloadWriter w = new PayloadWriter().i32(h.size());
                    for (HistoryEntry e : h) Messages.writeHistory(w, e);
                    return w;
                });
            }
            case PACK -> {
                long before = ((Message.Pack) m).beforeTid();
                work(id, Op.PACK, start, () -> {
                    requireWritable("pack");
                    PackResult p = served.storage.pack(before, PackProgress.NONE);
                    return new PayloadWriter(24)
                            .i64(p.removedRevisions())
                            .i64(p.removedObjects())
                            .i64(p.keptObjects());
                });
            }
            case RESTORE -> {
                TransactionRecord t = ((Message.Restore) m).txn();
                work(id, Op.RESTORE, start, () -> {
                    requireWritable("restore");
                    served.storage.restore(t);
                    served.publish(
                            t.tid(),
                            t.revisions().stream()
                                    .mapToLong(Revision::oid)
                                    .distinct()
                                    .toArray());
                    return new PayloadWriter(0);
                });
            }
            case RESTORE_BATCH -> {
                List<TransactionRecord> batch = ((Message.RestoreBatch) m).txns();
                work(id, Op.RESTORE_BATCH, start, () -> {
                    requireWritable("restore");
                    return RestoreBatch.apply(served, batch);
                });
            }
            case ITERATE -> {
                Message.Iterate it0 = (Message.Iterate) m;
                long from = it0.fromTid();
                long to = it0.toTid();
                work(id, Op.ITERATE, start, () -> cursors.startIteration(id, served.storage.iterator(from, to)));
            }
            case ITERATE_NEXT -> {
                int cursor = ((Message.IterateNext) m).cursor();
                CloseableIterator<TransactionRecord> it = cursors.iteration(cursor);
                work(id, Op.ITERATE_NEXT, start, () -> cursors.batch(cursor, it));
            }
            case ITERATE_CLOSE -> {
                int cursor = ((Message.IterateClose) m).cursor();
                stats.count(Op.ITERATE_CLOSE);
                cursors.closeIteration(cursor);
            }
            case OPEN_VIEW -> {
                long viewId = ((Message.OpenView) m).viewId();
                work(id, Op.OPEN_VIEW, start, () -> {
                    StorageView v = served.storage.openView();
                    cursors.openView(viewId, v);
                    return new PayloadWriter(8).i64(v.tid());
                });
            }
            case VIEW_LOAD -> {
                Message.ViewLoad vl = (Message.ViewLoad) m;
                long viewId = vl.viewId();
                long oid = vl.oid();
                StorageView v = cursors.view(viewId, Op.VIEW_LOAD);
                read(id, Op.VIEW_LOAD, start, () -> loaded(v.load(oid)));
            }
            case VIEW_SYNC -> {
                long viewId = ((Message.ViewSync) m).viewId();
                StorageView v = cursors.view(viewId, Op.VIEW_SYNC);
                work(id, Op.VIEW_SYNC, start, () -> {
                    Invalidations inv = v.sync();
                    return new PayloadWriter(24 + inv.oids().length * 8)
                            .i64(inv.fromTid())
                            .i64(inv.toTid())
                            .bool(inv.all())
                            .longs(inv.oids());
                });
            }
            case VIEW_CLOSE -> {
                long viewId = ((Message.ViewClose) m).viewId();
                stats.count(Op.VIEW_CLOSE);
                cursors.closeView(viewId);
            }
            case OUTCOME -> {
                Message.Outcome o = (Message.Outcome) m;
                transactions.outcome(
                        id, new CommitOutcomes.Token(o.tokenHi(), o.tokenLo()), o.voteTid(), o.written(), start);
            }
            case CACHE_GET -> {
                Message.CacheGet g = (Message.CacheGet) m;
                flow.enter();
                long valid = served.publishedTid(); // before the value: a value still valid now was valid then
                SharedFragments.Value v = served.fragments.get(g.cache(), g.key());
                PayloadWriter w = new PayloadWriter(v == null ? 1 : 32 + v.value.length + 8 * v.deps.length);
                if (v == null) {
                    w.bool(false);
                } else {
                    w.bool(true).i64(valid).u8(v.kind).bytes(v.value).longs(v.deps);
                }
                Frame reply = w.frame(id, Op.RESULT);
                // behind the pushes already queued to this connection: the client applies them before reading the value
                channel.eventLoop().execute(() -> answer(reply, Op.CACHE_GET, start));
            }
            case CACHE_SET -> {
                Message.CacheSet c = (Message.CacheSet) m;
                flow.enter();
                run(id, Op.CACHE_SET, start, () -> {
                    requireWritable("storing a shared fragment");
                    SharedFragments.Value v = SharedFragments.value(
                            c.cache(), c.key(), c.kind(), c.value(), c.deps(), c.ttlMillis(), c.tags());
                    return new PayloadWriter(1).bool(served.admitFragment(c.cache(), v, c.snapshotTid()));
                });
            }
            case CACHE_INVALIDATE -> {
                Message.CacheInvalidate c = (Message.CacheInvalidate) m;
                flow.enter();
                run(id, Op.CACHE_INVALIDATE, start, () -> {
                    requireWritable("invalidating shared fragments");
                    org.cairndb.storage.FragmentTier.Scope[] scopes = org.cairndb.storage.FragmentTier.Scope.values();
                    if (c.scope() >= scopes.length) {
                        throw new StorageMisuseException("CACHE_INVALIDATE scope " + c.scope()
                                + " is unknown: 0 a key, 1 a tag, 2 a whole cache");
                    }
                    served.fragments.invalidate(c.cache(), scopes[c.scope()], c.name());
                    return new PayloadWriter(0);
                });
            }
            case BEGIN, STORE, DELETE, CHECK_CURRENT, UNDO, VOTE, VOTE_TOKEN, FINISH, ABORT ->
                transactions.dispatch(f, m, start);
            default -> throw new ProtocolException("op " + f.op() + " is not a request");
        }
    }

    private static PayloadWriter loaded(Loaded l) {
        PayloadWriter w = new PayloadWriter(32 + l.data().length);
        Messages.writeLoaded(w, l);
        return w;
    }

    private void requireWritable(String what) {
        if (readOnly) {
            throw new ReadOnlyException(
                    "storage '" + served.name + "': " + what + " refused: this connection is read-only"
                            + " (read-only credentials or flag); connect with read-write credentials to write");
        }
    }

    // ---- the handshake's verdicts (see Handshake)

    /** Handshake: true until the first frame is judged. */
    boolean awaitingHello() {
        return phase == Phase.AWAITING_HELLO || phase == Phase.JUDGING_HELLO;
    }

    /** Handshake: a HELLO waits for its login slot (true), or its wait is over (false). */
    void judging(boolean waiting) {
        phase = waiting ? Phase.JUDGING_HELLO : Phase.AWAITING_HELLO;
    }

    /** Handshake: reading may resume if nothing else holds it back. */
    void resumeReading() {
        flow.resumeIfBelowLimit();
    }

    boolean isRefused() {
        return refused;
    }

    /** Handshake: HELLO accepted; opens the storage (or an admin connection for storage "") and answers. */
    void loggedIn(int requestId, String storage, boolean readOnly, long lastTid, long start) {
        this.readOnly = readOnly;
        channel.pipeline().get(FrameDecoder.class).authenticated();
        if (storage == null || storage.isEmpty()) {
            phase = Phase.ADMIN;
            flow.enter(); // answer() counts the answer out; the handshake must count it in (it left in-flight at -1)
            answer(HelloAnswer.admin().frame(requestId), Op.HELLO, start);
            return;
        }
        served = server.served(storage);
        if (served == null) {
            refuse(
                    requestId,
                    ErrorCodec.PROTOCOL,
                    "no storage named '" + storage + "' on this server; it serves " + server.storageNames());
            return;
        }
        phase = Phase.STORAGE;
        transactions = new ConnectionTransactions(this, server, served, readOnly, channel, flow);
        int caps = Messages.capabilityBits(served.storage.capabilities());
        // join and answer under the hub's order: pushes after the catch-up list come after this answer
        ServedStorage.Catchup c = served.join(this, lastTid);
        Frame reply = new HelloAnswer(
                        Protocol.VERSION, served.storage.name(), caps, c.lastTid(), c.all(), c.oids(), readOnly)
                .frame(requestId);
        flow.enter(); // answer() counts the answer out; the handshake must count it in (it left in-flight at -1)
        answer(reply, Op.HELLO, start);
    }

    /**
     * Handshake: DOORBELL with a known token. This connection becomes the doorbell of the
     * connection that drew it: it counts as part of that client (not a client of its own), is
     * exempt from the idle timeout (it is silent by design; its connection's idle timeout
     * applies) and closes with it.
     */
    void attachDoorbell(int requestId, Doorbell d, long start) {
        phase = Phase.DOORBELL;
        stats.clients.decrementAndGet();
        if (channel.pipeline().get("idle") != null) channel.pipeline().remove("idle");
        channel.pipeline().remove(Doorbell.class); // this connection's own frames need no doorbell
        channel.writeAndFlush(new PayloadWriter(0).frame(requestId, Op.RESULT));
        stats.record(Op.DOORBELL, start);
        d.attach(channel);
    }

    // ---- plumbing

    /** Over the high water mark: read no more requests until the client has taken its answers (see OutboundGuard). */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        flow.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    /** Runs a request on the bounded worker pool (see {@link FlowControl#submit}). */
    void work(int id, Op op, long start, Supplier<PayloadWriter> task) {
        flow.enter();
        flow.submit(() -> run(id, op, start, task));
    }

    /** A load: on the event loop when the storage's reads never block (no hand-off at all), else on a worker. */
    private void read(int id, Op op, long start, Supplier<PayloadWriter> task) {
        if (served.inlineReads) {
            flow.enter();
            run(id, op, start, task);
        } else {
            work(id, op, start, task);
        }
    }

    void run(int id, Op op, long start, Supplier<PayloadWriter> task) {
        Frame reply;
        try {
            reply = task.get().frame(id, Op.RESULT);
        } catch (Throwable e) {
            reply = ErrorCodec.encode(id, e);
        }
        answer(reply, op, start);
    }

    void answer(Frame reply, Op op, long start) {
        if (!guard.overLimit()) channel.writeAndFlush(reply, channel.voidPromise());
        stats.record(op, start);
        flow.exit();
    }

    private void answerNow(int id, PayloadWriter w, Op op, long start) {
        flow.enter();
        answer(w.frame(id, Op.RESULT), op, start);
    }

    /**
     * Sends the error, then half-closes: the client reads the error and then the end of the
     * stream. Closing outright could reset the connection while the client's frames are still
     * arriving (unread bytes make the kernel send RST), and the client would lose the error.
     * The decoder discards what still comes; the peer's close, or a 5 s deadline (a timer, set
     * whether or not the error could be written), ends it. A client that does not read (its
     * queue is over the high water mark) would never get the error: it is dropped at once.
     */
    void refuse(int requestId, int kind, String message) {
        if (refused) return;
        refused = true;
        if (!channel.isWritable()) {
            guard.forceClose("refused (" + message + ") while it does not read what is queued for it");
            return;
        }
        channel.writeAndFlush(ErrorCodec.encode(requestId, kind, message)).addListener((ChannelFutureListener) f -> {
            if (f.channel() instanceof DuplexChannel d && f.isSuccess()) {
                d.shutdownOutput();
            } else {
                f.channel().close();
            }
        });
        Channel ch = channel;
        ch.eventLoop()
                .schedule(
                        () -> {
                            if (ch.isOpen()) guard.forceClose("it did not close within 5 s of being refused");
                        },
                        5,
                        TimeUnit.SECONDS);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            // a client owed an answer (a load running, a vote queued for the commit lock) is waiting, not idle
            if (!flow.idleFor(server.config.idleTimeout.toNanos())) return;
            if (!channel.isWritable()) {
                guard.forceClose("idle for longer than the idle timeout of " + server.config.idleTimeout.toSeconds()
                        + " s and not reading what is queued for it");
                return;
            }
            refuse(
                    0,
                    ErrorCodec.LIMIT,
                    "connection idle for longer than the server's idle timeout of "
                            + server.config.idleTimeout.toSeconds()
                            + " s; closing it (the client reconnects on its next request)");
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof ProtocolException) {
            stats.protocolErrors.increment();
            log.info("closing {}: protocol error: {}", ctx.channel().remoteAddress(), c.getMessage());
            refuse(0, ErrorCodec.PROTOCOL, c.getMessage());
        } else if (c instanceof java.io.IOException) {
            ctx.close();
        } else {
            log.warn("closing {} after an unexpected error", ctx.channel().remoteAddress(), c);
            refuse(0, ErrorCodec.INTERNAL, "server error: " + c);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        if (phase != Phase.DOORBELL) stats.clients.decrementAndGet(); // a doorbell stopped counting when it attached
        if (admitted) server.limits.release(channel.remoteAddress());
        if (handshake != null) handshake.cancel();
        if (served != null) served.leave(this);
        if (transactions != null) transactions.abortAll();
        cursors.closeAll();
        server.sessionClosed(this);
    }

    static boolean isLoopback(SocketAddress a) {
        return a instanceof InetSocketAddress i
                && i.getAddress() != null
                && i.getAddress().isLoopbackAddress();
    }

    static boolean constantTimeEquals(String a, String b) {
        return a != null
                && b != null
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
