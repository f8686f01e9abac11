package org.cairndb.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.cairndb.remote.RemoteAuthTest.Certs;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.cairndb.server.cli.StatusCommand;
import org.cairndb.server.cli.StatusCommand.TlsOptions;
import org.cairndb.storage.Storage;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code cairn status} against a TLS server, with the same credentials a cairn:// client
 * gives, and the errors of talking plain TCP to a TLS port and TLS to a plain one. Lives in
 * the client module for the certificate fixture of {@link RemoteAuthTest}.
 */
class StatusOverTlsTest {
    static Certs certs;
    static Storage backing;
    static CairnServer tlsServer;
    static CairnServer plainServer;

    @BeforeAll
    static void start() throws Exception {
        certs = Certs.shared();
        backing = Storages.open("temp:");
        tlsServer = CairnServer.start(new ServerConfig()
                .port(0)
                .storage("main", backing)
                .tls(certs.serverKeys, certs.serverTrust, Certs.PASSWORD));
        plainServer = CairnServer.start(new ServerConfig().port(0).storage("main", backing));
    }

    @AfterAll
    static void stop() {
        tlsServer.close();
        plainServer.close();
        backing.close();
    }

    private static TlsOptions client() {
        return new TlsOptions(certs.clientKeys, certs.clientTrust, Certs.PASSWORD);
    }

    @Test
    void status_tlsServer_withClientCredentials_printsStatus() throws IOException {
        String url = "tls-keystore=" + certs.clientKeys + "&tls-truststore=" + certs.clientTrust + "&tls-password="
                + Certs.PASSWORD;
        try (RemoteStorage c = Remote.connect(tlsServer.port(), url)) {
            Remote.commit(c, c.newOids(1)[0], 0, 1);
            String text = StatusCommand.fetch("127.0.0.1", tlsServer.port(), null, false, client());
            assertThat(text)
                    .contains("connected clients")
                    .contains("storage 'main'")
                    .contains("1 commits served");
            assertThat(StatusCommand.fetch("localhost", tlsServer.port(), null, true, client()))
                    .contains("cairn_requests_total{op=\"vote_token\"} 1");
        }
    }

    @Test
    void statusCommand_tlsOptions_exitZero() {
        int code = new CommandLine(new StatusCommand())
                .execute(
                        "127.0.0.1:" + tlsServer.port(),
                        "--tls-keystore",
                        certs.clientKeys.toString(),
                        "--tls-truststore",
                        certs.clientTrust.toString(),
                        "--tls-password",
                        Certs.PASSWORD);
        assertThat(code).isZero();
        int plain = new CommandLine(new StatusCommand()).execute("127.0.0.1:" + tlsServer.port());
        assertThat(plain).as("plain TCP to the TLS port fails").isEqualTo(1);
    }

    @Test
    void status_plainTcpToTlsPort_saysTheServerSpeaksTls() {
        assertThatThrownBy(() -> StatusCommand.fetch("127.0.0.1", tlsServer.port(), null, false))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("speaks TLS only")
                .hasMessageContaining("--tls-keystore");
    }

    /** Regression: the TLS port closed a plain client without a word; now the server says which side speaks TLS. */
    @Test
    void plainFrameToTlsPort_getsAPlainErrorSayingTheServerSpeaksTls() throws IOException {
        try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), tlsServer.port())) {
            s.setSoTimeout(10_000);
            org.cairndb.protocol.FrameCodec.write(
                    new org.cairndb.protocol.PayloadWriter()
                            .i32(org.cairndb.protocol.Protocol.MAGIC)
                            .i32(org.cairndb.protocol.Protocol.VERSION)
                            .str("main")
                            .str("")
                            .bool(false)
                            .i64(0)
                            .frame(1, org.cairndb.protocol.Op.HELLO),
                    s.getOutputStream());
            org.cairndb.protocol.Frame f = new org.cairndb.protocol.FrameReader(s.getInputStream(), 1 << 20).read();
            assertThat(f.op()).isEqualTo(org.cairndb.protocol.Op.ERROR);
            assertThat(org.cairndb.protocol.ErrorCodec.decode(f, "test"))
                    .hasMessageContaining("this server speaks TLS only and the client connected with plain TCP");
        }
    }

    @Test
    void status_tlsToPlainPort_saysTheServerDoesNotSpeakTls() {
        assertThatThrownBy(() -> StatusCommand.fetch("127.0.0.1", plainServer.port(), null, false, client()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("TLS handshake failed")
                .hasMessageContaining("does not speak TLS on this port");
    }

    @Test
    void status_untrustedClientCertificate_refused() {
        TlsOptions other = new TlsOptions(certs.otherKeys, certs.clientTrust, Certs.PASSWORD);
        assertThatThrownBy(() -> StatusCommand.fetch("127.0.0.1", tlsServer.port(), null, false, other))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("certificate");
    }

    @Test
    void status_serverCertificateNotTrusted_refused() {
        TlsOptions noTrust =
                new TlsOptions(certs.clientKeys, certs.serverTrust, Certs.PASSWORD); // trusts only the client cert
        assertThatThrownBy(() -> StatusCommand.fetch("127.0.0.1", tlsServer.port(), null, false, noTrust))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("TLS handshake failed");
    }
}
