package org.cairndb.bench.tasks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.cairndb.client.Database;
import org.cairndb.tasks.TaskContext;
import org.cairndb.tasks.TaskQueue;
import org.cairndb.tasks.Worker;

/**
 * A worker process of {@code bench tasks}: {@code cairn URI QUEUE THREADS} or
 * {@code dbs JDBC_URL USER PASSWORD THREADS POLL_MS}. Prints {@code READY}, then
 * {@code H <epoch ms>} for every job it runs; ends when its stdin closes.
 */
public final class TasksBenchChild {
    public static void main(String[] args) throws Exception {
        AutoCloseable running;
        if (args[0].equals("cairn")) {
            Database db = Database.open(args[1]);
            Worker w = TaskQueue.of(db, args[2])
                    .worker((Integer n, TaskContext c) -> {
                        synchronized (System.out) {
                            System.out.println("H " + System.currentTimeMillis());
                        }
                        return null;
                    })
                    .threads(Integer.parseInt(args[3]))
                    .start();
            running = () -> {
                w.close();
                db.close();
            };
        } else {
            running = DbSchedulerRun.start(
                    args[1],
                    args[2],
                    args[3],
                    Integer.parseInt(args[4]),
                    Duration.ofMillis(Long.parseLong(args[5])),
                    () -> {
                        synchronized (System.out) {
                            System.out.println("H " + System.currentTimeMillis());
                        }
                    });
        }
        System.out.println("READY");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
            // the parent closes stdin to stop us
        }
        running.close();
        System.exit(0);
    }
}
