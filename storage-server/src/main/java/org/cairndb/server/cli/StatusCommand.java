package org.cairndb.server.cli;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.cairndb.protocol.ErrorCodec;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.FrameCodec;
import org.cairndb.protocol.FrameReader;
import org.cairndb.protocol.Message;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.Protocol;
import org.cairndb.protocol.Tls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn status host:port}: connected clients, per-op counts and latency percentiles,
 * commit queue and lock waits. Speaks the protocol over a plain blocking socket (two
 * requests), so the server module needs no client; over TLS when given the same credentials
 * a {@code cairn://} client gives ({@code ?tls-keystore=&tls-truststore=&tls-password=}).
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Prints a Cairn server's clients, request latencies and commit queue.")
public final class StatusCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "host:port of the server")
    String address;

    @Option(
            names = "--secret",
            description = "The server's shared secret, if it has one (prefer --secret-file or --secret-env)")
    String secret;

    @Option(names = "--secret-file", description = "File holding the server's shared secret")
    Path secretFile;

    @Option(names = "--secret-env", description = "Environment variable holding the server's shared secret")
    String secretEnv;

    @Option(names = "--prometheus", description = "Print Prometheus text instead")
    boolean prometheus;

    @Option(
            names = "--tls-keystore",
            description =
                    "PKCS#12 key store with this client's key and certificate (a server with TLS requires one it trusts)")
    Path tlsKeyStore;

    @Option(names = "--tls-truststore", description = "PKCS#12 store of the server certificates to trust")
    Path tlsTrustStore;

    @Option(
            names = "--tls-password",
            description = "Password of both stores (prefer --tls-password-file or --tls-password-env)")
    String tlsPassword;

    @Option(names = "--tls-password-file", description = "File holding the password of both stores")
    Path tlsPasswordFile;

    @Option(names = "--tls-password-env", description = "Environment variable holding the password of both stores")
    String tlsPasswordEnv;

    /** TLS credentials of a status request; {@link #NONE} for a plain TCP server. */
    public record TlsOptions(Path keyStore, Path trustStore, String password) {
        public static final TlsOptions NONE = new TlsOptions(null, null, "");

        boolean enabled() {
            return keyStore != null || trustStore != null;
        }
    }

    @Override
    public Integer call() {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            System.err.println("cairn status: '" + address + "' is not host:port (e.g. localhost:8100)");
            return 2;
        }
        String host = address.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            System.err.println("cairn status: port '" + address.substring(colon + 1) + "' is not a number");
            return 2;
        }
        String theSecret;
        String tlsPw;
        try {
            theSecret = SecretOptions.one(
                    "the shared secret", secret, "--secret", secretFile, "--secret-file", secretEnv, "--secret-env");
            tlsPw = SecretOptions.one(
                    "the TLS password",
                    tlsPassword,
                    "--tls-password",
                    tlsPasswordFile,
                    "--tls-password-file",
                    tlsPasswordEnv,
                    "--tls-password-env");
        } catch (IllegalArgumentException e) {
            System.err.println("cairn status: " + org.cairndb.storage.uri.Secrets.message(e));
            return 2;
        }
        try {
            System.out.print(fetch(
                    host,
                    port,
                    theSecret,
                    prometheus,
                    new TlsOptions(tlsKeyStore, tlsTrustStore, tlsPw == null ? "" : tlsPw)));
            return 0;
        } catch (IOException | RuntimeException e) {
            System.err.println(
                    "cairn status: " + host + ":" + port + ": " + org.cairndb.storage.uri.Secrets.message(e));
            return 1;
        }
    }

    /** The status text of the plain-TCP server at host:port. */
    public static String fetch(String host, int port, String secret, boolean prometheus) throws IOException {
        return fetch(host, port, secret, prometheus, TlsOptions.NONE);
    }

    /** The status text of the server at host:port, over TLS when {@code tls} names stores. */
    public static String fetch(String host, int port, String secret, boolean prometheus, TlsOptions tls)
            throws IOException {
        try (Socket s = connect(host, port, tls)) {
            s.setSoTimeout(30_000); // a deadline: a server that does not answer fails the command
            OutputStream out = new BufferedOutputStream(s.getOutputStream());
            FrameReader in = new FrameReader(s.getInputStream(), Protocol.DEFAULT_MAX_FRAME);
            try {
                write(out, new Message.Hello(Protocol.VERSION, "", secret == null ? "" : secret, true, 0).frame(1));
                read(in, host, port);
            } catch (org.cairndb.protocol.ProtocolException e) {
                // a handshake the server cannot make sense of (e.g. plain TCP to its TLS port): its message says what
                throw new IOException(e.getMessage(), e);
            } catch (EOFException | SocketException e) {
                if (tls.enabled()) {
                    throw new IOException(
                            "the server closed the TLS connection without answering the handshake ("
                                    + (e.getMessage() == null ? "end of stream" : e.getMessage())
                                    + "): it may not accept this client's certificate (--tls-keystore must hold a key the server trusts)",
                            e);
                }
                throw new IOException(
                        "the server closed the connection without answering the handshake ("
                                + (e.getMessage() == null ? "end of stream" : e.getMessage())
                                + "): if it was started with --tls-keystore it speaks TLS only; give --tls-keystore, --tls-truststore and"
                                + " --tls-password as its clients do",
                        e);
            }
            write(out, new Message.Status(prometheus).frame(2));
            return read(in, host, port).reader().str();
        } catch (SSLException e) {
            // TLS 1.3: the server judges the client's certificate after the client's handshake is done
            throw new IOException(
                    "TLS connection refused (" + e.getMessage()
                            + "): the server did not accept this client's certificate"
                            + " (--tls-keystore must hold a key the server trusts)",
                    e);
        }
    }

    private static Socket connect(String host, int port, TlsOptions tls) throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(host, port), 10_000);
            plain.setTcpNoDelay(true);
            if (!tls.enabled()) return plain;
            SSLSocket s = (SSLSocket) Tls.client(tls.keyStore(), tls.trustStore(), tls.password())
                    .getSocketFactory()
                    .createSocket(plain, host, port, true);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name host, as for cairn:// clients
            s.setSSLParameters(p);
            s.setSoTimeout(30_000);
            try {
                s.startHandshake();
            } catch (SSLException e) {
                s.close();
                throw new IOException(
                        "TLS handshake failed (" + e.getMessage()
                                + "): either the server does not speak TLS on this port"
                                + " (then drop the --tls-* options), or it did not accept this client's certificate (--tls-keystore), or this"
                                + " client does not trust the server's certificate for '" + host
                                + "' (--tls-truststore)",
                        e);
            }
            return s;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private static void write(OutputStream out, Frame f) throws IOException {
        FrameCodec.write(f, out);
        out.flush();
    }

    private static Frame read(FrameReader in, String host, int port) throws IOException {
        Frame f = in.read();
        if (f.op() == Op.ERROR) throw ErrorCodec.decode(f, "cairn://" + host + ":" + port);
        return f;
    }
}
