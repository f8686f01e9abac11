package org.cairndb.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.TransactionManager;
import org.cairndb.client.collections.Counter;
import org.cairndb.storage.Storage;
import org.cairndb.storage.matrix.OnStorages;
import org.cairndb.storage.matrix.StorageKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The queue's API and semantics on every kind of storage: temp: (resolves conflicts like
 * postgres:// and cairn://); mem:, which only detects conflicts, so the object layer merges
 * the shards' concurrent writes itself; postgres:// (a fresh database per test), whose
 * commits of other connections reach the workers through LISTEN; cairn:// (a server over
 * temp: per test), whose workers hear commits through the server's invalidations.
 */
@OnStorages({StorageKind.TEMP, StorageKind.MEM, StorageKind.POSTGRES_HISTORY_FREE, StorageKind.CAIRN_TEMP})
class TaskQueueTest {
    static final Duration LONG = Duration.ofSeconds(60);

    Database db;
    Connection conn;
    TransactionManager tm;
    TaskQueue q;

    /** A fresh storage of the run's kind, closed by the matrix after the test (after {@link #close()}). */
    @BeforeEach
    void open(Storage storage) {
        db = Database.open(storage);
        conn = db.open();
        tm = conn.transactionManager();
        q = TaskQueue.of(db, "amazon");
    }

    @AfterEach
    void close() {
        q.close();
        tm.abort();
        conn.close();
        db.close();
    }

    TaskHandle submit(Object payload, TaskOptions o) {
        return tm.run(5, () -> q.submit(payload, o));
    }

    @Test
    void aCommittedSubmitRunsAndAwaitSeesTheResult() throws Exception {
        TaskHandle h = submit(new Lookup("978-0"), TaskOptions.defaults());
        try (Worker w = q.worker((Lookup l, TaskContext c) -> "price of " + l.isbn())
                .threads(2)
                .start()) {
            String r = h.await(LONG);
            assertThat(r).isEqualTo("price of 978-0");
            TaskStatus s = q.status(h.id());
            assertThat(s.state()).isEqualTo(TaskState.SUCCEEDED);
            assertThat(s.attempts()).isEqualTo(1);
            assertThat(s.startedAt()).isGreaterThanOrEqualTo(s.createdAt());
        }
    }

    @Test
    void anAbortedSubmitLeavesNoJob() throws Exception {
        tm.begin();
        TaskHandle h = q.submit(new Lookup("gone"));
        tm.abort();
        AtomicInteger runs = new AtomicInteger();
        try (Worker w =
                q.worker((Lookup l, TaskContext c) -> runs.incrementAndGet()).start()) {
            TaskHandle other = submit(new Lookup("kept"), TaskOptions.defaults());
            other.await(LONG);
        }
        assertThat(runs).hasValue(1);
        assertThatThrownBy(() -> q.status(h.id()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no task");
    }

    /** Regression: a worker that created its queue read the queue's oid before the commit gave it one, and never dispatched. */
    @Test
    void aWorkerThatCreatesItsQueueRunsItsJobs() throws Exception {
        try (Worker w = q.worker((String s, TaskContext c) -> s + "!").start()) {
            assertThat((String) submit("first", TaskOptions.defaults()).await(LONG))
                    .isEqualTo("first!");
        }
    }

    @Test
    void submitWithoutAConnectionOnTheThreadSaysWhatToDo() {
        Thread t = new Thread(() -> assertThatThrownBy(() -> q.submit("x")).hasMessageContaining("needs a connection"));
        t.start();
        assertThat(joined(t)).isTrue();
    }

    static boolean joined(Thread t) {
        try {
            t.join();
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Many jobs, two workers of four threads: each job completes once, and its Cairn effect is committed once. */
    @Test
    void manyWorkersRunEveryJobToCompletionExactlyOnce() throws Exception {
        tm.run(5, () -> conn.root().put("effects", new Counter()));
        List<TaskHandle> hs = new ArrayList<>();
        for (int i = 0; i < 200; i++) hs.add(submit(i, TaskOptions.defaults()));
        Map<Integer, AtomicInteger> completions = new ConcurrentHashMap<>();
        TaskHandler<Integer> h = (n, c) -> {
            ((Counter) c.connection().root().get("effects")).increment();
            return n * 2;
        };
        try (Worker a = q.worker(h).threads(4).start();
                Worker b = q.worker(h).threads(4).start()) {
            for (TaskHandle t : hs) {
                Integer r = t.await(LONG);
                completions.computeIfAbsent(r / 2, k -> new AtomicInteger()).incrementAndGet();
            }
        }
        assertThat(completions).hasSize(200);
        tm.begin();
        assertThat(((Counter) conn.root().get("effects")).get()).isEqualTo(200);
        QueueStats st = q.stats();
        assertThat(st.succeeded()).isEqualTo(200);
        assertThat(st.ready() + st.running() + st.delayed()).isZero();
    }

    @Test
    void aFailingJobIsRetriedWithBackoffThenDeadWithItsLastError() throws Exception {
        TaskHandle h = submit("x", TaskOptions.defaults().maxAttempts(3).backoff(Duration.ofMillis(20)));
        List<Long> starts = new CopyOnWriteArrayList<>();
        try (Worker w = q.worker((String s, TaskContext c) -> {
                    starts.add(System.currentTimeMillis());
                    throw new IllegalStateException("amazon said no (attempt " + c.attempt() + ")");
                })
                .start()) {
            assertThatThrownBy(() -> h.await(LONG))
                    .isInstanceOf(TaskFailedException.class)
                    .hasMessageContaining("DEAD")
                    .hasMessageContaining("amazon said no (attempt 3)");
        }
        TaskStatus s = q.status(h.id());
        assertThat(s.state()).isEqualTo(TaskState.DEAD);
        assertThat(s.attempts()).isEqualTo(3);
        assertThat(starts).hasSize(3);
        // exponential: at least 20 ms before the second attempt, 40 ms before the third
        assertThat(starts.get(1) - starts.get(0)).isGreaterThanOrEqualTo(20);
        assertThat(starts.get(2) - starts.get(1)).isGreaterThanOrEqualTo(40);
        assertThat(q.retry(h.id())).isTrue();
        try (Worker w = q.worker((String x, TaskContext c) -> "ok now").start()) {
            assertThat((String) h.await(LONG)).isEqualTo("ok now");
        }
    }

    @Test
    void aFailedAttemptRollsBackTheHandlersWrites() throws Exception {
        tm.run(5, () -> conn.root().put("effects", new Counter()));
        TaskHandle h = submit("x", TaskOptions.defaults().maxAttempts(2).backoff(Duration.ZERO));
        try (Worker w = q.worker((String s, TaskContext c) -> {
                    ((Counter) c.connection().root().get("effects")).increment();
                    if (c.attempt() == 1) throw new IllegalStateException("first attempt fails after writing");
                    return "done";
                })
                .start()) {
            h.await(LONG);
        }
        tm.begin();
        assertThat(((Counter) conn.root().get("effects")).get()).isEqualTo(1);
    }

    @Test
    void aSerialQueueRunsOneJobAtATimeAcrossWorkers() throws Exception {
        q.configure(QueueConfig.defaults().serial(true));
        AtomicInteger now = new AtomicInteger(), max = new AtomicInteger();
        TaskHandler<Integer> h = (n, c) -> {
            int k = now.incrementAndGet();
            max.accumulateAndGet(k, Math::max);
            Thread.onSpinWait();
            now.decrementAndGet();
            return n;
        };
        List<TaskHandle> hs = new ArrayList<>();
        for (int i = 0; i < 40; i++) hs.add(submit(i, TaskOptions.defaults()));
        try (Worker a = q.worker(h).threads(4).start();
                Worker b = q.worker(h).threads(4).start()) {
            for (TaskHandle t : hs) t.await(LONG);
        }
        assertThat(max).hasValue(1);
    }

    @Test
    void higherPriorityRunsFirstAndEqualPrioritiesInOrder() throws Exception {
        q.configure(QueueConfig.defaults().serial(true));
        List<TaskHandle> hs = new ArrayList<>();
        hs.add(submit("low-1", TaskOptions.defaults().priority(0)));
        hs.add(submit("high", TaskOptions.defaults().priority(9)));
        hs.add(submit("low-2", TaskOptions.defaults().priority(0)));
        hs.add(submit("mid", TaskOptions.defaults().priority(5)));
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        try (Worker w =
                q.worker((String s, TaskContext c) -> order.add(s)).threads(2).start()) {
            for (TaskHandle t : hs) t.await(LONG);
        }
        assertThat(order).containsExactly("high", "mid", "low-1", "low-2");
    }

    @Test
    void aDelayedJobStartsNoEarlierThanItsDueTime() throws Exception {
        Instant due = Instant.now().plusMillis(300);
        TaskHandle h = submit("later", TaskOptions.defaults().notBefore(due));
        try (Worker w = q.worker((String s, TaskContext c) -> System.currentTimeMillis())
                .start()) {
            long started = h.await(LONG);
            assertThat(started).isGreaterThanOrEqualTo(due.toEpochMilli());
        }
    }

    @Test
    void anAttemptOverItsTimeoutIsInterruptedAndFails() throws Exception {
        TaskHandle h = submit(
                "slow", TaskOptions.defaults().timeout(Duration.ofMillis(200)).maxAttempts(1));
        CountDownLatch never = new CountDownLatch(1);
        try (Worker w = q.worker((String s, TaskContext c) -> {
                    never.await();
                    return "unreachable";
                })
                .start()) {
            assertThatThrownBy(() -> h.await(LONG))
                    .isInstanceOf(TaskFailedException.class)
                    .hasMessageContaining("timed out after 200 ms");
        }
    }

    @Test
    void cancellingAPendingJobMeansItNeverRuns() throws Exception {
        TaskHandle h = submit("never", TaskOptions.defaults().delay(Duration.ofHours(1)));
        assertThat(q.cancel(h.id())).isTrue();
        assertThat(q.status(h.id()).state()).isEqualTo(TaskState.CANCELLED);
        assertThat(q.cancel(h.id())).isFalse();
        assertThatThrownBy(() -> h.await(LONG))
                .isInstanceOf(TaskFailedException.class)
                .hasMessageContaining("CANCELLED");
    }

    @Test
    void cancellingARunningJobInterruptsItsHandlerAndRollsBackItsWrites() throws Exception {
        tm.run(5, () -> conn.root().put("effects", new Counter()));
        TaskHandle h = submit("long", TaskOptions.defaults());
        CountDownLatch started = new CountDownLatch(1), never = new CountDownLatch(1);
        try (Worker w = q.worker((String s, TaskContext c) -> {
                    ((Counter) c.connection().root().get("effects")).increment();
                    started.countDown();
                    never.await();
                    return "unreachable";
                })
                .start()) {
            started.await();
            assertThat(q.cancel(h.id())).isTrue();
            assertThatThrownBy(() -> h.await(LONG))
                    .isInstanceOf(TaskFailedException.class)
                    .hasMessageContaining("CANCELLED");
        }
        tm.begin();
        assertThat(((Counter) conn.root().get("effects")).get()).isZero();
    }

    @Test
    void oneIdempotencyKeyEnqueuesOneJob() throws Exception {
        TaskHandle a = submit("a", TaskOptions.defaults().idempotencyKey("isbn:1"));
        TaskHandle b = submit("b", TaskOptions.defaults().idempotencyKey("isbn:1"));
        assertThat(b.id()).isEqualTo(a.id());
        AtomicInteger runs = new AtomicInteger();
        try (Worker w = q.worker((String s, TaskContext c) -> runs.incrementAndGet() + s)
                .start()) {
            assertThat((String) b.await(LONG)).isEqualTo("1a");
        }
        assertThat(q.list(10)).hasSize(1);
    }

    @Test
    void aRateLimitSpacesStartsAcrossWorkers() throws Exception {
        q.configure(QueueConfig.defaults().rateLimit(2, Duration.ofMillis(300)));
        List<Long> starts = Collections.synchronizedList(new ArrayList<>());
        List<TaskHandle> hs = new ArrayList<>();
        for (int i = 0; i < 6; i++) hs.add(submit(i, TaskOptions.defaults()));
        TaskHandler<Integer> h = (n, c) -> starts.add(System.currentTimeMillis());
        try (Worker a = q.worker(h).threads(3).start();
                Worker b = q.worker(h).threads(3).start()) {
            for (TaskHandle t : hs) t.await(LONG);
        }
        List<Long> sorted = new ArrayList<>();
        for (TaskHandle t : hs) sorted.add(q.status(t.id()).startedAt()); // claim times: what the window limits
        Collections.sort(sorted);
        for (int i = 2; i < sorted.size(); i++)
            assertThat(sorted.get(i) - sorted.get(i - 2)).isGreaterThanOrEqualTo(300);
    }

    @Test
    void awaitTimesOutWithoutAWorker() throws Exception {
        TaskHandle h = submit("nobody runs me", TaskOptions.defaults());
        assertThatThrownBy(() -> h.await(Duration.ofMillis(50)))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("did not end");
        assertThat(q.status(h.id()).state()).isEqualTo(TaskState.PENDING);
    }

    @Test
    void pruningForgetsOldAndSurplusFinishedJobs() throws Exception {
        List<TaskHandle> hs = new ArrayList<>();
        for (int i = 0; i < 5; i++) hs.add(submit(i, TaskOptions.defaults()));
        try (Worker w = q.worker((Integer n, TaskContext c) -> n).start()) {
            for (TaskHandle t : hs) t.await(LONG);
        }
        assertThat(q.prune(Duration.ofDays(1), 2)).isEqualTo(3);
        assertThat(q.stats().succeeded()).isEqualTo(2);
        assertThat(q.prune(Duration.ZERO, 100)).isEqualTo(2);
        assertThat(q.list(10)).isEmpty();
    }

    @Test
    void aWorkerPrunesFinishedJobsOnItsTimer() throws Exception {
        List<TaskHandle> hs = new ArrayList<>();
        for (int i = 0; i < 4; i++) hs.add(submit(i, TaskOptions.defaults()));
        java.util.concurrent.CompletableFuture<Integer> pruned = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.ExecutorService checker = java.util.concurrent.Executors.newSingleThreadExecutor();
        AutoCloseable l = db.storage()
                .addCommitListener((tid, oids) -> checker.execute(() -> {
                    QueueStats st = q.stats();
                    if (st.succeeded() == 1 && st.ready() == 0 && st.running() == 0) pruned.complete(st.succeeded());
                }));
        try (Worker w = q.worker((Integer n, TaskContext c) -> n)
                .pruneFinished(Duration.ofDays(1), 1, Duration.ofMillis(50))
                .start()) {
            for (TaskHandle t : hs) t.await(LONG);
            assertThat(pruned.get()).isEqualTo(1); // a commit of the pruning timer left the newest one only
        } finally {
            l.close();
            checker.shutdown();
        }
    }

    @Test
    void readingAMissingQueueCreatesNothing() {
        TaskQueue other = TaskQueue.of(db, "nobody");
        assertThat(other.stats().exists()).isFalse();
        assertThat(other.list(10)).isEmpty();
        tm.begin();
        assertThat(conn.root().get(QueueState.ROOT_KEY)).isNull();
        other.close();
    }

    @Test
    void aScheduledJobSubmitsItsNextOccurrenceWhenItEnds() throws Exception {
        TaskHandle first = q.schedule("nightly", "0 3 * * *", "report");
        long due = Cron.parse("0 3 * * *").next(System.currentTimeMillis());
        assertThat(q.status(first.id()).dueAt()).isEqualTo(due);
        assertThat(q.schedule("nightly", "0 3 * * *", "report").id()).isEqualTo(first.id()); // once per name and time
        // run this occurrence now (cancel, then retry: due at once)
        assertThat(q.cancel(first.id())).isTrue();
        assertThat(q.retry(first.id())).isTrue();
        try (Worker w = q.worker((String s, TaskContext c) -> s + " sent").start()) {
            assertThat((String) first.await(LONG)).isEqualTo("report sent");
        }
        List<TaskStatus> all = q.list(10);
        assertThat(all).hasSize(2);
        TaskStatus next = all.stream()
                .filter(s -> s.state() == TaskState.PENDING)
                .findFirst()
                .orElseThrow();
        assertThat(next.schedule()).isEqualTo("nightly");
        assertThat(next.dueAt())
                .isEqualTo(Cron.parse("0 3 * * *").next(due)); // the one after the occurrence that ran early
    }
}
