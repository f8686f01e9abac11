package org.cairndb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.cairndb.protocol.AuthenticationException;
import org.cairndb.protocol.ErrorCodec;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.protocol.ProtocolException;
import org.cairndb.server.cli.StatusCommand;
import org.cairndb.storage.Storage;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.Test;

/** cairn status, Prometheus metrics, and the errors a misbehaving client gets. */
class ServerStatusTest {

    @Test
    void status_showsClientsOpsAndCommitFigures() throws Exception {
        try (Storage backing = Storages.open("temp:");
                CairnServer server = CairnServer.start(
                        new ServerConfig().port(0).storage("main", backing).metricsPort(0));
                RawClient c = new RawClient(server.port()).hello()) {
            c.commitFresh(1);
            c.commitFresh(2);
            String text = StatusCommand.fetch("127.0.0.1", server.port(), null, false);
            assertThat(text)
                    .contains("connected clients")
                    .contains("storage 'main'")
                    .contains("2 commits served")
                    .contains("votes in progress")
                    .contains("LOAD")
                    .contains("VOTE")
                    .contains("p99 us");
            String prom = StatusCommand.fetch("127.0.0.1", server.port(), null, true);
            assertThat(prom)
                    .contains("cairn_requests_total{op=\"vote\"} 2")
                    .contains("cairn_commit_queue{storage=\"main\"}");
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("cairn_clients").contains("cairn_commits_total{storage=\"main\"} 2");
        }
    }

    @Test
    void status_withWrongSecret_refused() {
        try (Storage backing = Storages.open("temp:");
                CairnServer server = CairnServer.start(new ServerConfig()
                        .host("127.0.0.1")
                        .port(0)
                        .storage("main", backing)
                        .secret("x"))) {
            assertThatThrownBy(() -> StatusCommand.fetch("127.0.0.1", server.port(), "y", false))
                    .isInstanceOf(AuthenticationException.class);
        }
    }

    @Test
    void oversizeFrame_errorNamesLimit_connectionClosed_othersGoOn() throws IOException {
        try (Storage backing = Storages.open("temp:");
                CairnServer server = CairnServer.start(
                        new ServerConfig().port(0).storage("main", backing).maxFrame(1024));
                RawClient good = new RawClient(server.port()).hello();
                RawClient bad = new RawClient(server.port()).hello()) {
            bad.send(new PayloadWriter().bytes(new byte[5000]).frame(5, Op.RESTORE));
            Frame err = bad.receive();
            assertThat(err.op()).isEqualTo(Op.ERROR);
            assertThat(ErrorCodec.decode(err, "t"))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("exceeds the maximum frame size 1024");
            assertThat(bad.in.read()).as("closed after the error").isEqualTo(-1);
            good.commitFresh(3);
        }
    }

    @Test
    void requestBeforeHello_refused() throws IOException {
        try (Storage backing = Storages.open("temp:");
                CairnServer server =
                        CairnServer.start(new ServerConfig().port(0).storage("main", backing));
                RawClient c = new RawClient(server.port())) {
            c.send(new PayloadWriter().i64(0).frame(1, Op.LOAD));
            assertThat(ErrorCodec.decode(c.receive(), "t")).hasMessageContaining("first frame must be HELLO");
        }
    }

    @Test
    void wrongProtocolVersion_refusedNamingBoth() throws IOException {
        try (Storage backing = Storages.open("temp:");
                CairnServer server =
                        CairnServer.start(new ServerConfig().port(0).storage("main", backing));
                RawClient c = new RawClient(server.port())) {
            c.send(new PayloadWriter()
                    .i32(org.cairndb.protocol.Protocol.MAGIC)
                    .i32(99)
                    .str("main")
                    .str("")
                    .bool(false)
                    .i64(0)
                    .frame(1, Op.HELLO));
            assertThat(ErrorCodec.decode(c.receive(), "t"))
                    .hasMessageContaining("protocol version 99 is not supported")
                    .hasMessageContaining("speaks version 1");
        }
    }

    @Test
    void storeForUnknownTransaction_refusedNamingTheId() throws IOException {
        try (Storage backing = Storages.open("temp:");
                CairnServer server =
                        CairnServer.start(new ServerConfig().port(0).storage("main", backing));
                RawClient c = new RawClient(server.port()).hello()) {
            c.send(new PayloadWriter().i64(77).i64(1).i64(0).bytes(new byte[1]).frame(0, Op.STORE));
            assertThat(ErrorCodec.decode(c.receive(), "t")).hasMessageContaining("unknown transaction id 77");
        }
    }
}
