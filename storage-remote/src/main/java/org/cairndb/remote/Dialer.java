package org.cairndb.remote;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import jdk.net.ExtendedSocketOptions;
import org.cairndb.protocol.ErrorCodec;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.FrameCodec;
import org.cairndb.protocol.FrameReader;
import org.cairndb.protocol.Message;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadReader;
import org.cairndb.protocol.Protocol;
import org.cairndb.protocol.ProtocolException;
import org.cairndb.protocol.Tls;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.StorageClosedException;
import org.cairndb.storage.StorageException;

/**
 * Opens one {@link Link}: the TCP socket (TCP_NODELAY, keep-alive), TLS on top when the URI
 * names key stores (the JDK's SSLSocket, client certificate from {@code tls-keystore}, the
 * server's certificate checked against {@code tls-truststore} and the host name), and the
 * HELLO exchange. The HELLO answer is applied to the storage here, on the connecting thread,
 * before the link is published and before any frame after it is read: pushes that follow the
 * answer find the storage already synchronised. The connect timeout bounds each step (it is
 * the socket's read timeout during the handshake), as a deadline that fails the attempt.
 */
final class Dialer {
    private final RemoteStorage owner;
    private final RemoteOptions options;
    private final SSLContext tls;
    private final AtomicInteger ids = new AtomicInteger();
    private volatile Socket connecting;
    private volatile boolean aborted;

    Dialer(RemoteStorage owner, RemoteOptions options) {
        this.owner = owner;
        this.options = options;
        this.tls = options.tlsKeyStore == null && options.tlsTrustStore == null
                ? null
                : Tls.client(options.tlsKeyStore, options.tlsTrustStore, options.tlsPassword);
    }

    /** Connects and shakes hands, then opens the doorbell; throws with the reason (AuthenticationException, ProtocolException: fatal). */
    Link dial(int generation) {
        Socket s = null;
        Link l = null;
        try {
            s = socket();
            int deadline = deadline();
            l = new Link(s, generation, options.maxFrame);
            int id = nextId(ids);
            long since = owner.lastTidSeen();
            l.write(
                    new Message.Hello(
                                    Protocol.VERSION,
                                    options.storage,
                                    options.secret == null ? "" : options.secret,
                                    options.readOnly,
                                    since)
                            .frame(id),
                    true);
            owner.applyHello(answer(l, id, deadline, false), since);
            openDoorbell(l, deadline);
            return l;
        } catch (IOException e) {
            closeQuietly(s);
            if (l != null) l.close();
            throw new RetryableException(
                    "connection to " + options.describe() + " closed during the handshake: " + e.getMessage()
                            + (tls != null ? tlsHint() : ""),
                    e);
        } catch (RuntimeException e) {
            closeQuietly(s);
            if (l != null) l.close();
            throw e;
        } finally {
            connecting = null;
        }
    }

    /**
     * DOORBELL_OPEN on the new link, then a second socket presenting the token. Pushes that
     * arrive on the link meanwhile are applied here (the HELLO answer is applied already); the
     * server rings the doorbell at once if it wrote any, so none waits unread.
     */
    private void openDoorbell(Link l, int deadline) throws IOException {
        int id = nextId(ids);
        l.write(new Message.DoorbellOpen().frame(id), true);
        PayloadReader token = answer(l, id, deadline, true).reader();
        long high = token.i64();
        long low = token.i64();
        token.end();
        Socket b = socket();
        try {
            FrameReader in = new FrameReader(b.getInputStream(), options.maxFrame);
            OutputStream out = b.getOutputStream();
            int bid = nextId(ids);
            FrameCodec.write(new Message.Doorbell(Protocol.VERSION, high, low).frame(bid), out);
            out.flush();
            Frame a = in.read();
            if (a.op() == Op.ERROR) throw ErrorCodec.decode(a, options.describe() + " (doorbell connection)");
            if (a.op() != Op.RESULT || a.requestId() != bid) {
                throw new ProtocolException(options.describe() + ": the server answered DOORBELL with " + a.op()
                        + " (request id " + a.requestId() + ")");
            }
            b.setSoTimeout(0); // from now on it waits for rings, however long
            l.attachDoorbell(b, in);
        } catch (IOException | RuntimeException e) {
            closeQuietly(b);
            throw e;
        }
    }

    /**
     * Reads up to the answer of request {@code id}: an error before it is thrown; during the
     * doorbell's opening ({@code doorbell}), invalidations before it are applied.
     */
    private Frame answer(Link l, int id, int deadline, boolean doorbell) throws IOException {
        Frame answer;
        try {
            answer = l.read(deadline);
        } catch (ProtocolException notCairn) {
            if (doorbell) throw notCairn;
            // the peer's very first bytes are not a Cairn frame (an HTTP server, a database...): not a frame-size
            // problem
            throw new ProtocolException(
                    options.describe() + " does not answer as a Cairn server (its first answer is not a Cairn"
                            + " frame): check the host and port; is a Cairn server (cairn serve) listening there"
                            + (tls == null ? ", and without TLS (else pass ?tls-truststore=...)?" : "?"));
        }
        while (answer.requestId() != id && answer.op() != Op.ERROR) {
            if (!doorbell || answer.op() != Op.INVALIDATE) {
                throw new ProtocolException(options.describe() + ": the server sent " + answer.op() + " (request id "
                        + answer.requestId() + ") before answering the handshake");
            }
            owner.applyInvalidation(answer);
            answer = l.read(deadline);
        }
        if (answer.op() != Op.ERROR) return answer;
        RuntimeException e = ErrorCodec.decode(answer, options.describe());
        if (doorbell && e instanceof ProtocolException) {
            // a server older than the doorbell does not know DOORBELL_OPEN
            throw new ProtocolException(
                    options.describe() + " refused to open the doorbell connection this client needs (" + e.getMessage()
                            + "); run a server at least as new as the client");
        }
        throw e;
    }

    /** A connected socket (TLS on top when configured), its read timeout the connect deadline. */
    private Socket socket() {
        Socket s = new Socket();
        connecting = s;
        try {
            if (aborted) throw new StorageClosedException("remote storage " + options.describe());
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            probeAfterOneMinute(s);
            try {
                s.connect(new InetSocketAddress(options.host, options.port), deadline());
            } catch (IOException e) {
                throw new StorageException(
                        "cannot connect to " + options.describe() + ": " + e.getMessage()
                                + " (is the server running? start it with: cairn serve --port " + options.port
                                + " --storage "
                                + options.storage + "=mem:)",
                        e);
            }
            s.setSoTimeout(deadline());
            if (tls != null) {
                SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, options.host, options.port, true);
                SSLParameters p = ssl.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS"); // the server's certificate must name the host
                ssl.setSSLParameters(p);
                s = ssl;
                connecting = s;
            }
            return s;
        } catch (IOException | RuntimeException e) {
            closeQuietly(s);
            throw e instanceof RuntimeException r
                    ? r
                    : new RetryableException(
                            "cannot set up a socket to " + options.describe() + ": " + e.getMessage(), e);
        }
    }

    /**
     * TCP keep-alive probes after 60 s of silence, every 10 s, 6 tries (where the platform lets
     * us set them; the default waits two hours). The doorbell is silent by design: a NAT or
     * firewall would forget its flow, and a server gone without a FIN would go unnoticed.
     */
    private static void probeAfterOneMinute(Socket s) {
        try {
            if (s.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE)) {
                s.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 60);
                s.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, 10);
                s.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, 6);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // the platform's defaults stay: keep-alive is on, only later
        }
    }

    private int deadline() {
        return (int) Math.min(Integer.MAX_VALUE, options.connectTimeoutMillis);
    }

    /** Close: ends a connect or handshake in progress at once, and every later one. */
    void abort() {
        aborted = true;
        closeQuietly(connecting);
    }

    private static String tlsHint() {
        return " (with TLS this means the handshake failed: the server did not accept this client's certificate, or the client"
                + " does not trust the server's; check ?tls-keystore= and ?tls-truststore=)";
    }

    /** A fresh request id: never 0 (the id of pushes and streamed frames). */
    static int nextId(AtomicInteger ids) {
        int id;
        do {
            id = ids.incrementAndGet();
        } while (id == 0);
        return id;
    }

    static void closeQuietly(Socket s) {
        if (s == null) return;
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing more to do for a socket we give up
        }
    }
}
