package org.cairndb.tasks;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.cairndb.client.Database;
import org.cairndb.client.collections.Counter;

/**
 * A worker process for the crash tests: {@code WorkerMain URI QUEUE LEASE_MS NAME MODE}. Its
 * handler counts an effect in {@code root["effects"]} (a Counter) and returns {@code NAME}; in
 * MODE "block" it then prints {@code STARTED <id>} and waits forever (to be killed). Prints
 * {@code READY} once started.
 */
public final class WorkerMain {
    public static void main(String[] args) throws Exception {
        Database db = Database.open(args[0]);
        TaskQueue q = TaskQueue.of(db, args[1]);
        String name = args[3];
        CountDownLatch never = new CountDownLatch(1);
        q.worker((String payload, TaskContext c) -> {
                    ((Counter) c.connection().root().get("effects")).increment();
                    if (args[4].equals("block")) {
                        System.out.println("STARTED " + c.id());
                        System.out.flush();
                        never.await();
                    }
                    return name;
                })
                .threads(2)
                .lease(Duration.ofMillis(Long.parseLong(args[2])))
                .name(name)
                .start();
        System.out.println("READY");
        System.out.flush();
        never.await();
    }
}
