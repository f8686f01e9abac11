package org.cairndb.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.TransactionManager;
import org.cairndb.postgres.testing.TestPostgres;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.cairndb.tasks.cli.TasksCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What operators see and do: the server's metrics and `cairn tasks ...`. */
class OperationsTest {
    static final Duration LONG = Duration.ofSeconds(60);

    /** Fills queue "amazon": two jobs succeed, one is dead, one waits for tomorrow. Returns the dead one's and the waiting one's ids. */
    static TaskId[] fill(Database db) throws Exception {
        try (Connection conn = db.open()) {
            TransactionManager tm = conn.transactionManager();
            TaskQueue q = TaskQueue.of(db, "amazon");
            TaskHandle a = tm.run(5, () -> q.submit("ok-1"));
            TaskHandle b = tm.run(5, () -> q.submit("ok-2"));
            TaskHandle bad =
                    tm.run(5, () -> q.submit("bad", TaskOptions.defaults().maxAttempts(1)));
            TaskHandle later =
                    tm.run(5, () -> q.submit("later", TaskOptions.defaults().delay(Duration.ofDays(1))));
            try (Worker w = q.worker((String s, TaskContext c) -> {
                        if (s.equals("bad")) throw new IllegalStateException("no such ISBN");
                        return s;
                    })
                    .start()) {
                a.await(LONG);
                b.await(LONG);
                bad.completion().get();
            }
            return new TaskId[] {bad.id(), later.id()};
        }
    }

    @Test
    void theServersMetricsShowItsQueues() throws Exception {
        try (CairnServer server = CairnServer.start(
                        new ServerConfig().port(0).metricsPort(0).storage("main", "temp:"));
                Database db = Database.open("cairn://127.0.0.1:" + server.port() + "/main")) {
            fill(db);
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.body())
                    .contains("cairn_tasks_succeeded{storage=\"main\",queue=\"amazon\"} 2")
                    .contains("cairn_tasks_dead{storage=\"main\",queue=\"amazon\"} 1")
                    .contains("cairn_tasks_delayed{storage=\"main\",queue=\"amazon\"} 1")
                    .contains("cairn_tasks_running{storage=\"main\",queue=\"amazon\"} 0");
            assertThat(r.body()
                            .lines()
                            .filter(l -> l.equals("# TYPE cairn_tasks_ready gauge"))
                            .count())
                    .isEqualTo(1);
            TaskQueue.of(db, "amazon").close();
        }
    }

    record Out(int exit, String out, String error) {}

    static Out cairnTasks(String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        AtomicReference<String> error = new AtomicReference<>();
        CommandLine cl = new CommandLine(new TasksCommand());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            error.set(ex.getMessage());
            return 1;
        });
        int exit;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            exit = cl.execute(args);
        } finally {
            System.setOut(old);
        }
        return new Out(exit, buf.toString(StandardCharsets.UTF_8), error.get());
    }

    @Test
    void cairnTasksListsShowsCancelsRetriesAndPurges() throws Exception {
        String uri = TestPostgres.get().freshUri(OperationsTest.class, "history=free");
        TaskId dead, later;
        try (Database db = Database.open(uri)) {
            TaskId[] ids = fill(db);
            dead = ids[0];
            later = ids[1];
            TaskQueue.of(db, "amazon").close();
        }
        Out list = cairnTasks("list", uri, "--queue", "amazon");
        assertThat(list.exit()).isZero();
        assertThat(list.out())
                .contains("amazon: ready=0 delayed=1 running=0 succeeded=2 dead=1")
                .contains(dead + " DEAD attempts=1/1")
                .contains("error=IllegalStateException: no such ISBN")
                .contains(later + " PENDING");

        Out show = cairnTasks("show", uri, "--queue", "amazon", dead.toString());
        assertThat(show.out()).contains("payload  bad");

        assertThat(cairnTasks("cancel", uri, "--queue", "amazon", later.toString())
                        .out())
                .contains(later + " is CANCELLED");
        Out again = cairnTasks("cancel", uri, "--queue", "amazon", later.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.error()).isEqualTo("job " + later + " already ended CANCELLED: nothing to cancel");

        assertThat(cairnTasks("retry", uri, "--queue", "amazon", dead.toString())
                        .out())
                .contains(dead + " is pending again");
        assertThat(cairnTasks("purge", uri, "--queue", "amazon", "--keep", "1").out())
                .contains("purged 2 finished job(s)");
        assertThat(cairnTasks("stats", uri, "--queue", "amazon", "--prometheus").out())
                .contains("cairn_tasks_ready{queue=\"amazon\"} 1");

        Out missing = cairnTasks("list", uri, "--queue", "ebay");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.error()).contains("no queue 'ebay'").contains("queues there: amazon");
        try (Database db = Database.open(uri)) {
            assertThat(TaskQueue.queueNames(db)).containsExactly("amazon"); // reading created nothing
        }
    }
}
