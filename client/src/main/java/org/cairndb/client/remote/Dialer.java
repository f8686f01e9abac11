package org.cairndb.client.remote;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.cairndb.protocol.ErrorCodec;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.protocol.Protocol;
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
        this.tls = options.tlsKeyStore == null && options.tlsTrustStore == null ? null
                : Tls.client(options.tlsKeyStore, options.tlsTrustStore, options.tlsPassword);
    }

    /** Connects and shakes hands; throws with the reason (AuthenticationException, ProtocolException: fatal). */
    Link dial(int generation) {
        Socket s = new Socket();
        connecting = s;
        try {
            if (aborted) throw new StorageClosedException("remote storage " + options.describe());
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            int deadline = (int) Math.min(Integer.MAX_VALUE, options.connectTimeoutMillis);
            try {
                s.connect(new InetSocketAddress(options.host, options.port), deadline);
            } catch (IOException e) {
                throw new StorageException("cannot connect to " + options.describe() + ": " + e.getMessage()
                        + " (is the server running? start it with: cairn serve --port " + options.port + " --storage "
                        + options.storage + "=mem:)", e);
            }
            if (tls != null) {
                SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, options.host, options.port, true);
                SSLParameters p = ssl.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS"); // the server's certificate must name the host
                ssl.setSSLParameters(p);
                s = ssl;
                connecting = s;
            }
            Link l = new Link(s, generation, options.maxFrame);
            int id = nextId(ids);
            long since = owner.lastTidSeen();
            l.write(new PayloadWriter(64).i32(Protocol.MAGIC).i32(Protocol.VERSION).str(options.storage)
                    .str(options.secret == null ? "" : options.secret).bool(options.readOnly).i64(since).frame(id, Op.HELLO), true);
            Frame answer = l.read(deadline);
            while (answer.requestId() != id) { // only an error push (a refusal) may come first
                if (answer.op() == Op.ERROR) throw ErrorCodec.decode(answer, options.describe());
                answer = l.read(deadline);
            }
            if (answer.op() == Op.ERROR) throw ErrorCodec.decode(answer, options.describe());
            owner.applyHello(answer, since);
            return l;
        } catch (IOException e) {
            closeQuietly(s);
            throw new RetryableException("connection to " + options.describe() + " closed during the handshake: " + e.getMessage()
                    + (tls != null ? tlsHint() : ""), e);
        } catch (RuntimeException e) {
            closeQuietly(s);
            throw e;
        } finally {
            connecting = null;
        }
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
