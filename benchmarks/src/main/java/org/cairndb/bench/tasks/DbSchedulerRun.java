package org.cairndb.bench.tasks;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/** db-scheduler, the comparison in {@code bench tasks}: its table, a scheduler with a polling interval, a client that schedules. */
final class DbSchedulerRun {
    static final String TASK = "bench";

    private DbSchedulerRun() {}

    static HikariDataSource dataSource(String jdbc, String user, String password, int size) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(jdbc);
        c.setUsername(user);
        if (!password.isEmpty()) c.setPassword(password);
        c.setMaximumPoolSize(size);
        return new HikariDataSource(c);
    }

    /** db-scheduler's PostgreSQL table (its documented schema, version 16). */
    static void createTable(HikariDataSource ds) throws Exception {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE IF NOT EXISTS scheduled_tasks (task_name text NOT NULL, task_instance text NOT NULL, task_data bytea,"
                            + " execution_time timestamp with time zone NOT NULL, picked boolean NOT NULL, picked_by text,"
                            + " last_success timestamp with time zone, last_failure timestamp with time zone, consecutive_failures int,"
                            + " last_heartbeat timestamp with time zone, version bigint NOT NULL, priority smallint,"
                            + " PRIMARY KEY (task_name, task_instance))");
            s.execute("CREATE INDEX IF NOT EXISTS execution_time_idx ON scheduled_tasks (execution_time)");
            s.execute("CREATE INDEX IF NOT EXISTS last_heartbeat_idx ON scheduled_tasks (last_heartbeat)");
            s.execute(
                    "CREATE INDEX IF NOT EXISTS priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC)");
        }
    }

    static OneTimeTask<Void> task(Consumer<String> onRun) {
        return Tasks.oneTime(TASK).execute((inst, ctx) -> onRun.accept(inst.getId()));
    }

    static AutoCloseable start(String jdbc, String user, String password, int threads, Duration poll, Runnable onRun) {
        HikariDataSource ds = dataSource(jdbc, user, password, threads + 2);
        Scheduler s = Scheduler.create(ds, task(id -> onRun.run()))
                .threads(threads)
                .pollingInterval(poll)
                .build();
        s.start();
        return () -> {
            s.stop();
            ds.close();
        };
    }

    static Scheduler scheduler(HikariDataSource ds, int threads, Duration poll, Consumer<String> onRun) {
        Scheduler s = Scheduler.create(ds, task(onRun))
                .threads(threads)
                .pollingInterval(poll)
                .build();
        s.start();
        return s;
    }

    static SchedulerClient client(HikariDataSource ds) {
        return SchedulerClient.Builder.create(ds, task(id -> {})).build();
    }

    static void schedule(SchedulerClient client, String id) {
        client.scheduleIfNotExists(task(x -> {}).instance(id), Instant.now());
    }

    /** Inserts {@code n} due executions in batches (a bulk submit, as the Cairn side submits 100 per transaction). */
    static void bulk(HikariDataSource ds, String prefix, int n) throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO scheduled_tasks (task_name, task_instance, execution_time, picked, version, priority) VALUES (?, ?, ?, false, 1, 0)")) {
            c.setAutoCommit(false);
            Timestamp now = Timestamp.from(Instant.now());
            for (int i = 0; i < n; i++) {
                ps.setString(1, TASK);
                ps.setString(2, prefix + i);
                ps.setTimestamp(3, now);
                ps.addBatch();
                if (i % 100 == 99 || i == n - 1) {
                    ps.executeBatch();
                    c.commit();
                }
            }
        }
    }
}
