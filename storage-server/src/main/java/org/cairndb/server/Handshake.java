package org.cairndb.server;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.cairndb.protocol.ErrorCodec;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.Message;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.Protocol;
import org.cairndb.protocol.ProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start of a connection, up to its first frame's verdict: the hello deadline (a timer: a
 * peer that sends nothing must go too), then HELLO (protocol version, the login throttle of
 * {@link LoginThrottle}, the credentials) or DOORBELL (version, token). It judges; the
 * {@link Session} acts on the verdict: {@link Session#loggedIn} for an accepted HELLO,
 * {@link Session#attachDoorbell} for a known doorbell token, {@link Session#refuse} otherwise.
 *
 * <p>A HELLO from an address with failed logins waits for its slot on a timer, no thread
 * waiting; meanwhile the connection is read no further ({@link Session.Phase#JUDGING_HELLO}).
 * Event loop only.
 */
final class Handshake {
    private static final Logger log = LoggerFactory.getLogger(Handshake.class);

    private final Session session;
    private final CairnServer server;
    private final ServerStats stats;
    private final Channel channel;
    /** Closes the connection if no HELLO came in time; null once the first frame came. */
    private ScheduledFuture<?> deadline;

    Handshake(Session session, CairnServer server, Channel channel) {
        this.session = session;
        this.server = server;
        this.stats = server.stats;
        this.channel = channel;
    }

    /** Starts the hello deadline (none if the timeout is 0). */
    void start() {
        long helloMillis = server.config.helloTimeout.toMillis();
        if (helloMillis <= 0) return;
        deadline = channel.eventLoop()
                .schedule(
                        () -> {
                            if (session.awaitingHello()) {
                                session.refuse(
                                        0,
                                        ErrorCodec.LIMIT,
                                        "no HELLO within " + helloMillis + " ms of connecting; closing (a Cairn client"
                                                + " sends HELLO at once: is this a Cairn client, or is the network that slow?)");
                            }
                        },
                        helloMillis,
                        TimeUnit.MILLISECONDS);
    }

    /** The connection closed. */
    void cancel() {
        if (deadline != null) deadline.cancel(false);
    }

    /** The first frame of the connection. */
    void firstFrame(Frame f, long start) {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        if (f.op() == Op.DOORBELL) {
            doorbell(f, start);
            return;
        }
        if (f.op() != Op.HELLO) {
            throw new ProtocolException("first frame must be HELLO (op " + Op.HELLO.code + ") or DOORBELL (op "
                    + Op.DOORBELL.code + "), got " + f.op() + " with request id " + f.requestId());
        }
        hello(f, start);
    }

    /** False (and the connection refused) if the client speaks another protocol version. */
    private boolean speaks(int version, Frame f) {
        if (version == Protocol.VERSION) return true;
        session.refuse(
                f.requestId(),
                ErrorCodec.PROTOCOL,
                "protocol version " + version + " is not supported; this server speaks version " + Protocol.VERSION
                        + " (upgrade the client or the server so they match)");
        return false;
    }

    private void hello(Frame f, long start) {
        Message.Hello h = (Message.Hello) Message.decode(f);
        if (!speaks(h.version(), f)) return;
        InetAddress from = channel.remoteAddress() instanceof InetSocketAddress i ? i.getAddress() : null;
        long wait = server.throttle.reserve(from);
        if (wait < 0) {
            stats.authFailures.increment();
            session.refuse(
                    f.requestId(),
                    ErrorCodec.AUTH,
                    "too many logins from this address are waiting after failed ones;"
                            + " not judged: try again in a few seconds, with the right secret");
            return;
        }
        if (wait > 0) {
            // this address failed to log in before: judge it later, on a timer (no thread waits), reading nothing
            // meanwhile
            session.judging(true);
            stats.loginsDelayed.increment();
            channel.config().setAutoRead(false);
            channel.eventLoop()
                    .schedule(
                            () -> {
                                session.judging(false);
                                if (!channel.isActive() || session.isRefused()) return;
                                login(f, h, from, start);
                                session.resumeReading();
                            },
                            wait,
                            TimeUnit.NANOSECONDS);
            return;
        }
        login(f, h, from, start);
    }

    private void login(Frame f, Message.Hello h, InetAddress from, long start) {
        String secret = h.secret();
        Boolean grantsWrite = server.authenticate(secret);
        if (grantsWrite == null) {
            stats.authFailures.increment();
            long next = server.throttle.failed(from);
            String why = secret == null || secret.isEmpty()
                    ? "this server requires a shared secret and none was given (add ?secret=... to the cairn:// URI)"
                    : "the secret given is wrong for this server (check ?secret=... in the cairn:// URI against the server's --secret)";
            int unlogged = server.throttle.logDue(from);
            if (unlogged > 0) {
                log.warn(
                        "refused {} login(s) from {} since the last such line (at most one a minute per address): {}",
                        unlogged,
                        channel.remoteAddress(),
                        why);
            }
            session.refuse(
                    f.requestId(),
                    ErrorCodec.AUTH,
                    why
                            + (next > 0
                                    ? "; the next login from this address is judged no sooner than "
                                            + TimeUnit.NANOSECONDS.toMillis(next) + " ms from now"
                                    : ""));
            return;
        }
        if (server.config.secret != null || server.config.readOnlySecret != null) server.throttle.succeeded(from);
        session.loggedIn(f.requestId(), h.storage(), h.readOnly() || !grantsWrite, h.lastTid(), start);
    }

    /**
     * DOORBELL: the connection becomes the doorbell of the connection that drew the token, if
     * that one is still open.
     */
    private void doorbell(Frame f, long start) {
        Message.Doorbell db = (Message.Doorbell) Message.decode(f);
        Doorbell.Token token = new Doorbell.Token(db.tokenHi(), db.tokenLo());
        if (!speaks(db.version(), f)) return;
        Doorbell d = server.doorbells.get(token);
        if (d == null) {
            // retryable: the usual cause is that the connection which drew the token closed meanwhile
            session.refuse(
                    f.requestId(),
                    ErrorCodec.RETRYABLE,
                    "unknown doorbell token: the connection that asked for it (DOORBELL_OPEN) has closed,"
                            + " or this token was never issued by this server; reconnect and ask again");
            return;
        }
        session.attachDoorbell(f.requestId(), d, start);
    }
}
