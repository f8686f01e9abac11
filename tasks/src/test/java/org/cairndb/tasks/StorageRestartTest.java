package org.cairndb.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.TransactionManager;
import org.cairndb.client.collections.Counter;
import org.cairndb.postgres.testing.RestartablePostgres;
import org.cairndb.postgres.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL restarted while workers run: no job is lost and none completes twice. */
class StorageRestartTest {
    @TempDir
    Path dir;

    @Test
    void aPostgresRestartMidQueueLosesNoJobAndCompletesNoneTwice() throws Exception {
        RestartablePostgres pg = TestPostgres.restartable(dir.resolve("pg"));
        assumeTrue(pg != null, "needs the embedded PostgreSQL (CAIRN_PG_URL is set)");
        int jobs = 60;
        try (pg;
                Database db = Database.open(pg.uri("history=free"));
                Connection conn = db.open()) {
            TransactionManager tm = conn.transactionManager();
            tm.run(5, () -> conn.root().put("effects", new Counter()));
            TaskQueue q = TaskQueue.of(db, "restart");
            List<TaskHandle> hs = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                int n = i;
                hs.add(tm.run(
                        5,
                        () -> q.submit(
                                n, TaskOptions.defaults().maxAttempts(100).backoff(Duration.ofMillis(50)))));
            }
            CountDownLatch someDone = new CountDownLatch(10);
            try (Worker w = q.worker((Integer n, TaskContext c) -> {
                        ((Counter) c.connection().root().get("effects")).increment();
                        someDone.countDown();
                        return n;
                    })
                    .threads(4)
                    .lease(Duration.ofSeconds(2))
                    .start()) {
                someDone.await();
                pg.stop();
                pg.start();
                for (TaskHandle h : hs)
                    assertThat((Integer) h.completion().get().result()).isNotNull();
            }
            for (TaskHandle h : hs) assertThat(q.status(h.id()).state()).isEqualTo(TaskState.SUCCEEDED);
            tm.run(
                    5,
                    () -> assertThat(((Counter) conn.root().get("effects")).get())
                            .isEqualTo(jobs));
            q.close();
        }
    }
}
