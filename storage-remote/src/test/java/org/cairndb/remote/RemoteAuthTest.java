package org.cairndb.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cairndb.protocol.AuthenticationException;
import org.cairndb.protocol.ErrorCodec;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.Messages;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.protocol.Protocol;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.cairndb.storage.ReadOnlyException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageException;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Shared secrets, read-only credentials, TLS client certificates, loopback-only without credentials. */
class RemoteAuthTest {
    Storage backing;

    @BeforeEach
    void open() {
        backing = Storages.open("temp:");
    }

    @AfterEach
    void close() {
        backing.close();
    }

    private CairnServer secretServer() {
        return CairnServer.start(new ServerConfig()
                .host("127.0.0.1")
                .port(0)
                .storage("main", backing)
                .secret("s3cret")
                .readOnlySecret("peek"));
    }

    @Test
    void wrongSecret_refusedClearly() {
        try (CairnServer server = secretServer()) {
            assertThatThrownBy(() -> Remote.connect(server, "secret=guess"))
                    .isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("secret given is wrong");
        }
    }

    @Test
    void noSecret_refusedClearly() {
        try (CairnServer server = secretServer()) {
            assertThatThrownBy(() -> Remote.connect(server, ""))
                    .isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("requires a shared secret and none was given");
        }
    }

    @Test
    void rightSecret_readsAndWrites() {
        try (CairnServer server = secretServer();
                RemoteStorage s = Remote.connect(server, "secret=s3cret")) {
            long oid = s.newOids(1)[0];
            Remote.commit(s, oid, Tid.ZERO, 7);
            assertThat(Remote.valueOf(s.load(oid))).isEqualTo(7);
        }
    }

    @Test
    void readOnlySecret_canReadButNotWrite() {
        try (CairnServer server = secretServer();
                RemoteStorage rw = Remote.connect(server, "secret=s3cret");
                RemoteStorage ro = Remote.connect(server, "secret=peek")) {
            long oid = rw.newOids(1)[0];
            Remote.commit(rw, oid, Tid.ZERO, 7);
            assertThat(Remote.valueOf(ro.load(oid))).isEqualTo(7);
            assertThat(ro.capabilities()).contains(org.cairndb.storage.Capability.READ_ONLY);
            assertThatThrownBy(() -> ro.begin(TransactionMetadata.EMPTY))
                    .isInstanceOf(ReadOnlyException.class)
                    .hasMessageContaining("read-only");
        }
    }

    /** The server refuses too, whatever the client does: a raw client with read-only credentials streams a commit. */
    @Test
    void readOnlySecret_serverRefusesCommitOfRawClient() throws IOException {
        try (CairnServer server = secretServer();
                Socket s = new Socket("127.0.0.1", server.port())) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            write(
                    out,
                    new PayloadWriter()
                            .i32(Protocol.MAGIC)
                            .i32(Protocol.VERSION)
                            .str("main")
                            .str("peek")
                            .bool(false)
                            .i64(0)
                            .frame(1, Op.HELLO));
            assertThat(read(in).op()).isEqualTo(Op.RESULT);
            PayloadWriter begin = new PayloadWriter().i64(1);
            Messages.writeMetadata(begin, TransactionMetadata.EMPTY);
            write(out, begin.frame(0, Op.BEGIN));
            write(
                    out,
                    new PayloadWriter()
                            .i64(1)
                            .i64(1)
                            .i64(0)
                            .bytes(Remote.value(1))
                            .frame(0, Op.STORE));
            write(out, new PayloadWriter().i64(1).frame(2, Op.VOTE));
            Frame answer = read(in);
            assertThat(answer.op()).isEqualTo(Op.ERROR);
            assertThat(ErrorCodec.decode(answer, "test"))
                    .isInstanceOf(ReadOnlyException.class)
                    .hasMessageContaining("read-only");
            assertThat(backing.lastTid()).isEqualTo(Tid.ZERO);
        }
    }

    @Test
    void noCredentials_loopbackOnly_andSaysSo() {
        assertThatThrownBy(() -> CairnServer.start(
                        new ServerConfig().host("0.0.0.0").port(0).storage("main", backing)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without credentials");
        try (CairnServer server = CairnServer.start(new ServerConfig().port(0).storage("main", backing))) {
            assertThat(server.startMessage())
                    .contains("NO CREDENTIALS CONFIGURED")
                    .contains("loopback only")
                    .contains("127.0.0.1");
        }
    }

    @Test
    void unknownStorage_refusedNamingTheServedOnes() {
        try (CairnServer server = Remote.serve(backing)) {
            assertThatThrownBy(() -> RemoteStorage.open("cairn://127.0.0.1:" + server.port() + "/nope"))
                    .hasMessageContaining("no storage named 'nope'")
                    .hasMessageContaining("main");
        }
    }

    @Test
    void noServer_refusedNamingTheAddress() throws IOException {
        int port;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        assertThatThrownBy(() -> Remote.connect(port, ""))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("cannot connect to cairn://127.0.0.1:" + port + "/main");
    }

    @Test
    void tls_trustedClientCertificate_works_otherCertificateRefused() throws Exception {
        Certs c = Certs.shared();
        try (CairnServer server = CairnServer.start(
                new ServerConfig().port(0).storage("main", backing).tls(c.serverKeys, c.serverTrust, Certs.PASSWORD))) {
            assertThat(server.startMessage()).contains("TLS with client certificates");
            String base = "tls-truststore=" + c.clientTrust + "&tls-password=" + Certs.PASSWORD;
            try (RemoteStorage ok = Remote.connect(server, base + "&tls-keystore=" + c.clientKeys)) {
                long oid = ok.newOids(1)[0];
                Remote.commit(ok, oid, Tid.ZERO, 3);
                assertThat(Remote.valueOf(ok.load(oid))).isEqualTo(3);
            }
            assertThatThrownBy(
                            () -> Remote.connect(server, base + "&tls-keystore=" + c.otherKeys + "&connect-timeout=5"))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("TLS");
            assertThatThrownBy(() -> Remote.connect(server, base + "&connect-timeout=5"))
                    .as("no client certificate at all")
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("TLS");
        }
    }

    private static void write(DataOutputStream out, Frame f) throws IOException {
        out.writeInt(5 + f.payload().length);
        out.writeInt(f.requestId());
        out.writeByte(f.op().code);
        out.write(f.payload());
        out.flush();
    }

    private static Frame read(DataInputStream in) throws IOException {
        int len = in.readInt();
        int id = in.readInt();
        Op op = Op.of(in.readByte());
        byte[] p = new byte[len - 5];
        in.readFully(p);
        return new Frame(id, op, p);
    }

    /** Key stores made with the JDK's keytool: server, trusted client, untrusted client. */
    static final class Certs {
        static final String PASSWORD = "changeit";
        Path serverKeys, serverTrust, clientKeys, clientTrust, otherKeys;

        private static Certs shared;

        /** One set per test JVM (keytool takes seconds): RemoteAuthTest and StatusOverTlsTest share it. */
        static synchronized Certs shared() throws Exception {
            if (shared == null) {
                Path dir = java.nio.file.Files.createTempDirectory("cairn-certs");
                dir.toFile().deleteOnExit();
                shared = make(dir);
                for (Path p : List.of(
                        shared.serverKeys,
                        shared.serverTrust,
                        shared.clientKeys,
                        shared.clientTrust,
                        shared.otherKeys)) {
                    p.toFile().deleteOnExit();
                }
                try (var files = java.nio.file.Files.list(dir)) {
                    files.forEach(f -> f.toFile().deleteOnExit());
                }
            }
            return shared;
        }

        static Certs make(Path dir) throws Exception {
            Certs c = new Certs();
            c.serverKeys = dir.resolve("server.p12");
            c.clientKeys = dir.resolve("client.p12");
            c.otherKeys = dir.resolve("other.p12");
            c.serverTrust = dir.resolve("server-trust.p12");
            c.clientTrust = dir.resolve("client-trust.p12");
            genKey(c.serverKeys, "server", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1");
            genKey(c.clientKeys, "client", "CN=cairn-client");
            genKey(c.otherKeys, "other", "CN=intruder");
            Path serverCrt = dir.resolve("server.crt");
            Path clientCrt = dir.resolve("client.crt");
            keytool(
                    "-exportcert",
                    "-alias",
                    "server",
                    "-keystore",
                    c.serverKeys.toString(),
                    "-storepass",
                    PASSWORD,
                    "-rfc",
                    "-file",
                    serverCrt.toString());
            keytool(
                    "-exportcert",
                    "-alias",
                    "client",
                    "-keystore",
                    c.clientKeys.toString(),
                    "-storepass",
                    PASSWORD,
                    "-rfc",
                    "-file",
                    clientCrt.toString());
            keytool(
                    "-importcert",
                    "-noprompt",
                    "-alias",
                    "server",
                    "-file",
                    serverCrt.toString(),
                    "-keystore",
                    c.clientTrust.toString(),
                    "-storetype",
                    "PKCS12",
                    "-storepass",
                    PASSWORD);
            keytool(
                    "-importcert",
                    "-noprompt",
                    "-alias",
                    "client",
                    "-file",
                    clientCrt.toString(),
                    "-keystore",
                    c.serverTrust.toString(),
                    "-storetype",
                    "PKCS12",
                    "-storepass",
                    PASSWORD);
            return c;
        }

        private static void genKey(Path store, String alias, String dname, String... extra) throws Exception {
            List<String> a = new java.util.ArrayList<>(List.of(
                    "-genkeypair",
                    "-alias",
                    alias,
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-dname",
                    dname,
                    "-validity",
                    "2",
                    "-keystore",
                    store.toString(),
                    "-storetype",
                    "PKCS12",
                    "-storepass",
                    PASSWORD,
                    "-keypass",
                    PASSWORD));
            a.addAll(List.of(extra));
            keytool(a.toArray(String[]::new));
        }

        /**
         * Runs keytool in this JVM when its class is reachable (the client module's surefire
         * exports it: a keytool process per step costs seconds), else as a process.
         */
        private static void keytool(String... args) throws Exception {
            try {
                Class<?> main = Class.forName("sun.security.tools.keytool.Main");
                Object tool = main.getDeclaredConstructor().newInstance();
                main.getMethod("run", String[].class, java.io.PrintStream.class)
                        .invoke(tool, args, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
                return;
            } catch (IllegalAccessException | ClassNotFoundException | NoSuchMethodException notExported) {
                // fall through to a keytool process
            }
            List<String> cmd = new java.util.ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0)
                throw new IllegalStateException("keytool " + cmd + " failed: " + out);
        }
    }
}
