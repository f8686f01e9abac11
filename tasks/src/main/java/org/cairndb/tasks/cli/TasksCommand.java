package org.cairndb.tasks.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.cairndb.client.Database;
import org.cairndb.storage.Storage;
import org.cairndb.storage.uri.Storages;
import org.cairndb.tasks.QueueStats;
import org.cairndb.tasks.TaskId;
import org.cairndb.tasks.TaskQueue;
import org.cairndb.tasks.TaskStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn tasks list|show|retry|cancel|purge|stats URI --queue NAME}: a task queue's jobs
 * and numbers, and the operator's fixes. Reading never creates a queue: a missing one is an
 * error naming the queues there are.
 */
@Command(
        name = "tasks",
        mixinStandardHelpOptions = true,
        description = "Inspects and repairs the task queues of a database: list, show, retry, cancel, purge, stats.",
        subcommands = {
            TasksCommand.ListJobs.class,
            TasksCommand.Show.class,
            TasksCommand.Retry.class,
            TasksCommand.Cancel.class,
            TasksCommand.Purge.class,
            TasksCommand.Stats.class
        })
public final class TasksCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new IllegalArgumentException(
                "name what to do: cairn tasks list|show|retry|cancel|purge|stats URI --queue NAME");
    }

    /** Options every subcommand has. */
    abstract static class OnQueue implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "URI", description = "The database's storage.")
        String uri;

        @Option(names = "--queue", required = true, paramLabel = "NAME", description = "The queue.")
        String queue;

        @Override
        public Integer call() throws Exception {
            try (Storage s = Storages.openExisting(uri);
                    Database db = Database.open(s)) {
                TaskQueue q = TaskQueue.of(db, queue);
                try {
                    if (!q.stats().exists()) {
                        List<String> names = TaskQueue.queueNames(db);
                        throw new IllegalArgumentException("no queue '" + queue + "' in " + s.name()
                                + "; queues there: " + (names.isEmpty() ? "none" : String.join(", ", names)));
                    }
                    return run(q);
                } finally {
                    q.close();
                }
            }
        }

        abstract Integer run(TaskQueue q) throws Exception;
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "The queue's numbers, then its jobs: live ones first, then finished ones, newest first.")
    static final class ListJobs extends OnQueue {
        @Option(
                names = "--limit",
                defaultValue = "50",
                description = "At most this many jobs (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        Integer run(TaskQueue q) {
            System.out.println(q.stats().line());
            for (TaskStatus t : q.list(limit)) System.out.println(t.summary());
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Everything about one job.")
    static final class Show extends OnQueue {
        @Parameters(index = "1", paramLabel = "ID", description = "The job's id, as list shows it (0x2a).")
        String id;

        @Override
        Integer run(TaskQueue q) {
            TaskStatus t = q.status(TaskId.parse(id));
            System.out.println(t.summary());
            System.out.println("payload  " + t.payload());
            if (t.result() != null) System.out.println("result   " + t.result());
            if (t.idempotencyKey() != null) System.out.println("key      " + t.idempotencyKey());
            if (t.schedule() != null) System.out.println("schedule " + t.schedule());
            System.out.println("created  " + java.time.Instant.ofEpochMilli(t.createdAt()));
            if (t.startedAt() != 0) System.out.println("started  " + java.time.Instant.ofEpochMilli(t.startedAt()));
            return 0;
        }
    }

    @Command(
            name = "retry",
            mixinStandardHelpOptions = true,
            description = "Puts a dead or cancelled job back in line, with fresh attempts.")
    static final class Retry extends OnQueue {
        @Parameters(index = "1", paramLabel = "ID", description = "The job's id.")
        String id;

        @Override
        Integer run(TaskQueue q) {
            TaskId t = TaskId.parse(id);
            if (!q.retry(t))
                throw new IllegalStateException(
                        "job " + t + " is " + q.status(t).state() + ", not DEAD or CANCELLED: nothing to retry");
            System.out.println(t + " is pending again");
            return 0;
        }
    }

    @Command(
            name = "cancel",
            mixinStandardHelpOptions = true,
            description = "Cancels a pending job, or asks a running one to stop.")
    static final class Cancel extends OnQueue {
        @Parameters(index = "1", paramLabel = "ID", description = "The job's id.")
        String id;

        @Override
        Integer run(TaskQueue q) {
            TaskId t = TaskId.parse(id);
            if (!q.cancel(t))
                throw new IllegalStateException(
                        "job " + t + " already ended " + q.status(t).state() + ": nothing to cancel");
            System.out.println(
                    t + " is " + q.status(t).state() + (q.status(t).cancelRequested() ? " (asked to stop)" : ""));
            return 0;
        }
    }

    @Command(
            name = "purge",
            mixinStandardHelpOptions = true,
            description =
                    "Forgets finished jobs that ended more than --older-than ago, or beyond the newest --keep; pack then drops them.")
    static final class Purge extends OnQueue {
        @Option(
                names = "--older-than",
                defaultValue = "P7D",
                description = "ISO-8601 duration, e.g. PT1H or P7D (default ${DEFAULT-VALUE}).")
        Duration olderThan;

        @Option(
                names = "--keep",
                defaultValue = "10000",
                description = "Keep at most this many finished jobs (default ${DEFAULT-VALUE}).")
        int keep;

        @Override
        Integer run(TaskQueue q) {
            System.out.println("purged " + q.prune(olderThan, keep) + " finished job(s)");
            return 0;
        }
    }

    @Command(
            name = "stats",
            mixinStandardHelpOptions = true,
            description =
                    "The queue's depths, running jobs, failures and latencies; --prometheus prints them in Prometheus' text format.")
    static final class Stats extends OnQueue {
        @Option(names = "--prometheus", description = "Prometheus text exposition format (for a textfile collector).")
        boolean prometheus;

        @Override
        Integer run(TaskQueue q) {
            QueueStats s = q.stats();
            System.out.print(prometheus ? s.prometheus() : s.line() + System.lineSeparator());
            return 0;
        }
    }
}
