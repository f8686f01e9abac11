package org.cairndb.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.TransactionManager;
import org.cairndb.client.collections.Counter;
import org.cairndb.postgres.testing.ChildJvm;
import org.cairndb.postgres.testing.TestPostgres;
import org.junit.jupiter.api.Test;

/** Workers that die or stall: their leases run out, their jobs run elsewhere, and effects are committed once. */
class WorkerCrashTest {
    static String readUntil(BufferedReader r, String prefix) throws Exception {
        for (String line; (line = r.readLine()) != null; ) if (line.startsWith(prefix)) return line;
        throw new AssertionError("the worker process ended before printing " + prefix);
    }

    static BufferedReader out(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    static long effects(Connection conn) {
        conn.transactionManager().begin();
        return ((Counter) conn.root().get("effects")).get();
    }

    /** kill -9 of a worker process mid-job: another process takes the job over when the lease runs out and completes it once. */
    @Test
    void aJobOfAWorkerKilledWithSigkillRunsAgainInAnotherProcess() throws Exception {
        String uri = TestPostgres.get().freshUri(WorkerCrashTest.class, "history=free");
        try (Database db = Database.open(uri);
                Connection conn = db.open()) {
            TransactionManager tm = conn.transactionManager();
            tm.run(5, () -> conn.root().put("effects", new Counter()));
            TaskQueue q = TaskQueue.of(db, "crash");
            Process a = ChildJvm.startPiped(WorkerMain.class, uri, "crash", "1000", "doomed", "block");
            Process b = null;
            try {
                BufferedReader ra = out(a);
                readUntil(ra, "READY");
                TaskHandle h = tm.run(5, () -> q.submit("lookup"));
                assertThat(readUntil(ra, "STARTED")).isEqualTo("STARTED " + h.id());
                new ProcessBuilder("kill", "-9", Long.toString(a.pid()))
                        .inheritIO()
                        .start()
                        .waitFor();
                assertThat(a.waitFor()).isEqualTo(137); // 128 + SIGKILL
                assertThat(q.status(h.id()).state()).isEqualTo(TaskState.RUNNING);

                b = ChildJvm.startPiped(WorkerMain.class, uri, "crash", "1000", "survivor", "run");
                readUntil(out(b), "READY");
                TaskStatus s =
                        h.completion().get(); // the survivor takes it over when doomed's lease runs out (a timer)
                assertThat(s.state()).isEqualTo(TaskState.SUCCEEDED);
                assertThat(s.result()).isEqualTo("survivor");
                assertThat(s.attempts()).isEqualTo(2);
                assertThat(effects(conn)).isEqualTo(1); // the killed attempt's effect never committed
            } finally {
                a.destroyForcibly();
                if (b != null) b.destroyForcibly();
                q.close();
            }
        }
    }

    /**
     * A worker that stalls past its lease (a long GC, a partition) and comes back: its job was
     * taken over and completed by another; the stalled worker's completion conflicts on the job,
     * so its writes are rolled back and the effect is committed exactly once.
     */
    @Test
    void aStalledWorkerThatLostItsLeaseCommitsNothing() throws Exception {
        String uri = TestPostgres.get().freshUri(WorkerCrashTest.class, "history=free");
        try (Database db = Database.open(uri);
                Connection conn = db.open()) {
            TransactionManager tm = conn.transactionManager();
            tm.run(5, () -> conn.root().put("effects", new Counter()));
            TaskQueue q = TaskQueue.of(db, "stall");
            CountDownLatch inStalled = new CountDownLatch(1), resume = new CountDownLatch(1);
            Worker stalled = q.worker((String p, TaskContext c) -> {
                        ((Counter) c.connection().root().get("effects")).increment();
                        inStalled.countDown();
                        resume.await();
                        return "stalled";
                    })
                    .lease(Duration.ofMillis(500))
                    .name("stalled")
                    .start();
            TaskHandle h = tm.run(5, () -> q.submit("lookup"));
            inStalled.await();
            stalled.stopRenewing(); // as if its process froze: the lease runs out
            try (Worker other = q.worker((String p, TaskContext c) -> {
                        ((Counter) c.connection().root().get("effects")).increment();
                        return "other";
                    })
                    .name("other")
                    .start()) {
                assertThat((String) h.await(Duration.ofSeconds(120))).isEqualTo("other");
            }
            resume.countDown();
            stalled.close(); // waits for the stalled runner: its completion meets the take-over and is rolled back
            TaskStatus s = q.status(h.id());
            assertThat(s.state()).isEqualTo(TaskState.SUCCEEDED);
            assertThat(s.result()).isEqualTo("other");
            assertThat(effects(conn)).isEqualTo(1);
            q.close();
        }
    }
}
