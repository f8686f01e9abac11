package org.cairndb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import org.cairndb.protocol.AuthenticationException;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.protocol.Protocol;
import org.cairndb.server.cli.ServeCommand;
import org.cairndb.server.cli.StatusCommand;
import org.cairndb.storage.Storage;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Authentication that cannot be switched off by accident, guessed quickly, or bypassed through the metrics port. */
class AuthHardeningTest {
    @TempDir
    Path dir;

    /** Regression: a blank --secret-file turned authentication off while the server bound every interface. */
    @Test
    void blankSecrets_refusedAtStart_withTheFileNamed() throws Exception {
        assertThatThrownBy(() -> new ServerConfig().secret("  \n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty")
                .hasMessageContaining("refusing to start");
        assertThatThrownBy(() -> new ServerConfig().readOnlySecret("")).isInstanceOf(IllegalArgumentException.class);
        Path blank = dir.resolve("secret");
        Files.writeString(blank, "\n");
        for (String option : new String[] {"--secret-file", "--read-only-secret-file"}) {
            String err = serveFails("--port", "0", "--storage", "main=temp:", option, blank.toString());
            assertThat(err).contains(blank.toString()).contains("is empty");
        }
        assertThat(serveFails("--port", "0", "--storage", "main=temp:", "--secret-env", "CAIRN_NO_SUCH_VARIABLE_42"))
                .contains("CAIRN_NO_SUCH_VARIABLE_42 is not set");
    }

    /** `cairn serve` exits with 2 and says why (before the fix it started, and this would not return). */
    private static String serveFails(String... args) {
        PrintStream was = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = assertTimeoutPreemptively(
                    Duration.ofSeconds(30), () -> new CommandLine(new ServeCommand()).execute(args));
            assertThat(code).isEqualTo(2);
        } finally {
            System.setErr(was);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    /** The throttle's arithmetic, on a clock the test moves. */
    @Test
    void throttle_delaysGrowPerAddress_attemptsQueueOneAfterAnother_successForgets() throws Exception {
        AtomicLong now = new AtomicLong(1_000);
        LoginThrottle t = new LoginThrottle(100, 1_000, now::get);
        java.net.InetAddress a = java.net.InetAddress.getByName("10.0.0.1");
        java.net.InetAddress b = java.net.InetAddress.getByName("10.0.0.2");
        assertThat(t.reserve(a)).isZero();
        assertThat(t.failed(a)).isEqualTo(100);
        assertThat(t.failed(a)).isEqualTo(200);
        assertThat(t.failed(a)).isEqualTo(400);
        for (int i = 0; i < 10; i++) t.failed(a);
        assertThat(t.failed(a)).as("capped").isEqualTo(1_000);
        assertThat(t.reserve(b)).as("another address is not slowed").isZero();
        long first = t.reserve(a);
        long second = t.reserve(a);
        assertThat(second - first)
                .as("parallel attempts are judged one after another")
                .isEqualTo(1_000);
        for (int i = 3; i <= LoginThrottle.QUEUE_SLOTS; i++)
            assertThat(t.reserve(a)).isPositive();
        assertThat(t.reserve(a))
                .as("a burst beyond the queue is refused unjudged")
                .isEqualTo(-1);
        assertThat(t.logDue(a)).isEqualTo(1);
        assertThat(t.logDue(a)).as("at most one log line a minute").isEqualTo(-1);
        now.addAndGet(61_000_000_000L);
        assertThat(t.logDue(a)).as("the next line counts what was not logged").isEqualTo(2);
        t.succeeded(a);
        assertThat(t.reserve(a)).isZero();
    }

    /** Regression: failed logins were not throttled (233 guesses a second, a WARN line each). */
    @Test
    void wrongSecrets_fromOneAddress_areJudgedLater_andTheRightOneStillWorks() throws Exception {
        try (Storage backing = Storages.open("temp:");
                CairnServer server = CairnServer.start(new ServerConfig()
                        .port(0)
                        .storage("main", backing)
                        .secret("right")
                        .loginDelay(Duration.ofMillis(400), Duration.ofMillis(400)))) {
            for (int i = 0; i < 5; i++) {
                try (RawClient c = new RawClient(server.port())) {
                    assertThatThrownBy(() -> c.call(Op.HELLO, hello("wrong")))
                            .isInstanceOf(AuthenticationException.class)
                            .hasMessageContaining("judged no sooner than");
                }
            }
            // each next attempt comes within milliseconds of the refusal, well inside the 400 ms the address must wait
            assertThat(server.stats.loginsDelayed.sum())
                    .as("attempts after the first waited for their slot")
                    .isGreaterThanOrEqualTo(3);
            try (RawClient c = new RawClient(server.port())) {
                c.call(Op.HELLO, hello("right"));
                c.commitFresh(1);
            }
            assertThat(server.stats.authFailures.sum()).isEqualTo(5);
        }
    }

    /** Regression: the metrics port bound every interface and answered anyone, with credentials configured. */
    @Test
    void metrics_bindLoopback_andAskForTheSecret() throws Exception {
        try (Storage backing = Storages.open("temp:");
                CairnServer server = CairnServer.start(new ServerConfig()
                        .port(0)
                        .storage("main", backing)
                        .secret("right")
                        .metricsPort(0))) {
            assertThat(server.startMessage()).contains("metrics on http://127.0.0.1:");
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics");
            assertThat(http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(401);
            assertThat(http.send(
                                    HttpRequest.newBuilder(uri)
                                            .header("Authorization", "Bearer wrong")
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(401);
            HttpResponse<String> ok = http.send(
                    HttpRequest.newBuilder(uri)
                            .header("Authorization", "Bearer right")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("cairn_clients");
            String basic =
                    "Basic " + Base64.getEncoder().encodeToString("prometheus:right".getBytes(StandardCharsets.UTF_8));
            assertThat(http.send(
                                    HttpRequest.newBuilder(uri)
                                            .header("Authorization", basic)
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    /** Secrets for `cairn status` from a file or the environment, not only the command line. */
    @Test
    void status_takesTheSecretFromAFile() throws Exception {
        try (Storage backing = Storages.open("temp:");
                CairnServer server = CairnServer.start(
                        new ServerConfig().port(0).storage("main", backing).secret("right"))) {
            Path f = dir.resolve("s");
            Files.writeString(f, "right\n");
            assertThat(new CommandLine(new StatusCommand())
                            .execute("127.0.0.1:" + server.port(), "--secret-file", f.toString()))
                    .isZero();
            assertThat(new CommandLine(new StatusCommand())
                            .execute("127.0.0.1:" + server.port(), "--secret-file", f.toString(), "--secret", "right"))
                    .as("two sources")
                    .isEqualTo(2);
        }
    }

    private static PayloadWriter hello(String secret) {
        return new PayloadWriter()
                .i32(Protocol.MAGIC)
                .i32(Protocol.VERSION)
                .str("main")
                .str(secret)
                .bool(false)
                .i64(0);
    }
}
