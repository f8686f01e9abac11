package org.cairndb.tasks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.cairndb.client.Connection;
import org.cairndb.client.ConnectionMisuseException;
import org.cairndb.client.Database;
import org.cairndb.client.collections.PersistentMap;
import org.cairndb.storage.CommitListener;

/**
 * A persistent task queue kept in the application's own database: a job is enqueued in the
 * application's transaction (it commits or vanishes with it), and workers in any process
 * sharing the storage run it.
 *
 * <pre>{@code
 * TaskQueue q = TaskQueue.of(db, "amazon");
 * tm.run(5, () -> { book.title(t); handle[0] = q.submit(new Lookup(isbn)); });   // the request returns at once
 * q.worker((Lookup l, TaskContext ctx) -> amazon.fetch(l.isbn())).threads(4).start(); // here or in another process
 * Object price = handle[0].await(Duration.ofSeconds(5));                            // woken by the result's commit
 * }</pre>
 *
 * <h2>Design: no hot object, no polling</h2>
 * Each job is an object of its own ({@code Job}); the queue indexes live jobs in 16
 * {@link PersistentMap} shards chosen by the job's oid ({@code QueueState}). A submit adds a
 * new job object and one key to one shard; concurrent submits to one shard merge (different
 * keys), so enqueueing never conflicts with other submits or with workers. A claim writes the
 * job object only: two workers claiming one job conflict on it, one wins, the other picks
 * another (such conflicts stay inside the workers). Only a serial queue's claims write one
 * shared object, its slot, and only a rate-limited queue's claims write its rate window: there
 * the conflict is the point.
 *
 * <p>Workers wake on commits, not on a polling interval: every worker (and every
 * {@code await}) listens to the storage's commit stream (a storage tells its listeners of
 * every commit, of other processes too on {@code postgres://} and {@code cairn://}); a commit
 * touching a shard of the queue wakes the worker's dispatcher, which reads the live jobs and
 * hands the best ready ones (priority, then age) to idle threads. Due times (delayed jobs,
 * backoffs, cron), lease expiries and attempt timeouts are timers that wake the same
 * dispatcher.
 *
 * <p>Completion: the handler runs inside the worker's transaction; its Cairn writes, the
 * job's result and its move to the done index commit together. A worker presumed dead (its
 * {@code WorkerLease} ran out: killed, partitioned) loses its jobs to others; if it comes back
 * its completion conflicts on the job object and its effects are rolled back, so effects
 * written to Cairn happen exactly once even though the handler may run more than once.
 */
public final class TaskQueue implements AutoCloseable {
    private static final Map<Database, Map<String, TaskQueue>> QUEUES = new ConcurrentHashMap<>();

    private final Database db;
    private final String name;
    private final Session session;
    private final ScheduledExecutorService timer;
    private final Map<Long, List<CompletableFuture<TaskStatus>>> waiters = new ConcurrentHashMap<>();
    private final List<Worker> workers = new CopyOnWriteArrayList<>();
    private final AutoCloseable listener;

    private TaskQueue(Database db, String name) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a task queue needs a name");
        this.db = db;
        this.name = name;
        this.session = new Session(db, name);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-tasks-timer-" + name);
            t.setDaemon(true);
            return t;
        });
        CommitListener l = (tid, oids) -> {
            if (waiters.isEmpty()) return;
            for (long oid : oids) if (waiters.containsKey(oid)) check(oid);
        };
        this.listener = db.storage().addCommitListener(l);
    }

    /** The queue named {@code name} in {@code db} (one object per database and name; creates nothing until a submit). */
    public static TaskQueue of(Database db, String name) {
        return QUEUES.computeIfAbsent(db, d -> new ConcurrentHashMap<>())
                .computeIfAbsent(name, n -> new TaskQueue(db, n));
    }

    public String name() {
        return name;
    }

    /** Names of the task queues in {@code db} (reads; creates nothing). */
    public static List<String> queueNames(Database db) {
        try (Connection c = db.open()) {
            return c.transactionManager().readOnly(() -> QueueState.names(c));
        }
    }

    public Database database() {
        return db;
    }

    /** Sets how the queue runs (serial, rate limit, attempts, backoff, timeout), in a transaction of its own; creates the queue. */
    public void configure(QueueConfig config) {
        session.write(c -> {
            QueueState.findOrCreate(c, name).configure(config);
            return null;
        });
    }

    /** Enqueues {@code payload} in the calling thread's current transaction, with the queue's default options. */
    public TaskHandle submit(Object payload) {
        return submit(payload, TaskOptions.defaults());
    }

    /**
     * Enqueues {@code payload} in the calling thread's current transaction: the job exists
     * once that transaction commits, and never if it aborts. The thread needs an open
     * connection of this queue's database. The payload is stored like a field value.
     */
    public TaskHandle submit(Object payload, TaskOptions options) {
        Connection conn = threadConnection();
        long id = Submit.enqueue(conn, name, payload, options, null, null, System.currentTimeMillis());
        return new TaskHandle(this, new TaskId(id));
    }

    /**
     * Runs {@code payload} at every minute matching {@code cron} (five fields, UTC, see {@link Cron}):
     * submits the next occurrence now, in a transaction of its own; each occurrence, when it
     * ends, submits the one after. Submitting a schedule again under the same name adds nothing.
     */
    public TaskHandle schedule(String scheduleName, String cron, Object payload) {
        Cron c = Cron.parse(cron);
        long id = session.write(conn -> Submit.enqueue(
                conn, name, payload, TaskOptions.defaults(), scheduleName, c, System.currentTimeMillis()));
        return new TaskHandle(this, new TaskId(id));
    }

    private Connection threadConnection() {
        for (Connection c : db.transactionManager().connections()) {
            if (c.database() == db && !c.isClosed()) return c;
        }
        throw new ConnectionMisuseException(
                "submit to task queue '" + name + "' needs a connection of its database on this thread:"
                        + " open one with db.open() and submit inside its transaction");
    }

    /** A handle for a job known by id (e.g. from a request parameter). */
    public TaskHandle handle(TaskId id) {
        return new TaskHandle(this, id);
    }

    /** The job's state as of the latest commit; an unknown id (never committed, or pruned) is an IllegalArgumentException. */
    public TaskStatus status(TaskId id) {
        return session.read(c -> load(c, id).status());
    }

    private Job load(Connection c, TaskId id) {
        Object o;
        try {
            o = c.get(id.oid());
        } catch (RuntimeException e) {
            o = null;
        }
        if (!(o instanceof Job j) || !name.equals(j.status().queue())) {
            throw new IllegalArgumentException(
                    "no task " + id + " in queue '" + name + "' (never committed, or pruned)");
        }
        return j;
    }

    /** Jobs of the queue (live first, then done, newest first), at most {@code limit}. */
    public List<TaskStatus> list(int limit) {
        return session.read(c -> {
            QueueState q = QueueState.find(c, name);
            List<TaskStatus> out = new ArrayList<>();
            if (q == null) return out;
            for (PersistentMap<Long, Job> m : q.liveShards()) for (Job j : m.values()) out.add(j.status());
            List<TaskStatus> done = new ArrayList<>();
            for (PersistentMap<Long, Job> m : q.doneShards()) for (Job j : m.values()) done.add(j.status());
            out.sort(Comparator.comparingLong(TaskStatus::createdAt).reversed());
            done.sort(Comparator.comparingLong(TaskStatus::finishedAt).reversed());
            out.addAll(done);
            return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
        });
    }

    /** Counts and latencies for {@code cairn status} and metrics; empty stats when the queue does not exist. */
    public QueueStats stats() {
        return session.read(c -> QueueStats.of(name, QueueState.find(c, name), System.currentTimeMillis()));
    }

    /**
     * Cancels a job, in a transaction of its own: a pending one at once; a running one is
     * asked to stop (its handler's thread is interrupted) and ends CANCELLED unless it
     * completes first. Returns false when the job had already ended.
     */
    public boolean cancel(TaskId id) {
        return session.write(c -> {
            Job j = load(c, id);
            TaskState s = j.state();
            if (s.isFinal()) return false;
            if (s == TaskState.PENDING) {
                j.cancel(System.currentTimeMillis());
                QueueState.find(c, name).finished(j);
            } else {
                j.requestCancel();
            }
            return true;
        });
    }

    /** Puts a dead or cancelled job back in line with fresh attempts. Returns false when it was not dead or cancelled. */
    public boolean retry(TaskId id) {
        return session.write(c -> {
            Job j = load(c, id);
            if (j.state() != TaskState.DEAD && j.state() != TaskState.CANCELLED) return false;
            j.retry(System.currentTimeMillis());
            QueueState.find(c, name).revived(j);
            return true;
        });
    }

    /**
     * Forgets final jobs that ended before {@code olderThan} ago, and beyond the newest
     * {@code keep} final jobs; returns how many. Pack then drops their records.
     */
    public int prune(Duration olderThan, int keep) {
        return session.write(
                c -> Submit.prune(QueueState.find(c, name), System.currentTimeMillis() - olderThan.toMillis(), keep));
    }

    /** A worker for this queue; configure it, then {@code start()}. */
    public <P> Worker.Builder<P> worker(TaskHandler<P> handler) {
        return new Worker.Builder<>(this, handler);
    }

    void started(Worker w) {
        workers.add(w);
    }

    void stopped(Worker w) {
        workers.remove(w);
    }

    // ---- await ----

    CompletableFuture<TaskStatus> completion(TaskId id) {
        CompletableFuture<TaskStatus> f = new CompletableFuture<>();
        waiters.computeIfAbsent(id.oid(), k -> new CopyOnWriteArrayList<>()).add(f);
        f.whenComplete((s, e) -> {
            List<CompletableFuture<TaskStatus>> l = waiters.get(id.oid());
            if (l != null) {
                l.remove(f);
                if (l.isEmpty()) waiters.remove(id.oid(), l);
            }
        });
        check(id.oid()); // it may have ended before we listened
        return f;
    }

    /** Completes the waiters of {@code oid} if the job has ended (read on the session thread, never on the listener's). */
    private void check(long oid) {
        session.readAsync(c -> {
                    Object o;
                    try {
                        o = c.get(oid);
                    } catch (RuntimeException notYet) {
                        return null; // not committed yet (or never will be): keep waiting
                    }
                    return o instanceof Job j && j.state().isFinal() ? j.status() : null;
                })
                .thenAccept(status -> {
                    if (status == null) return;
                    List<CompletableFuture<TaskStatus>> l = waiters.get(oid);
                    if (l != null) for (CompletableFuture<TaskStatus> f : l) f.complete(status);
                });
    }

    /** Fails {@code f} with a TimeoutException after {@code timeout} (a timer; the wait itself ends on the event). */
    void timeout(CompletableFuture<TaskStatus> f, TaskId id, Duration timeout) {
        var t = timer.schedule(
                () -> f.completeExceptionally(new TimeoutException("task " + id + " of queue '" + name
                        + "' did not end within " + timeout + "; it may still run: check q.status(id)")),
                timeout.toNanos(),
                TimeUnit.NANOSECONDS);
        f.whenComplete((s, e) -> t.cancel(false));
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    /** Stops this queue's workers, its listener and its thread. */
    @Override
    public void close() {
        for (Worker w : workers) w.close();
        try {
            listener.close();
        } catch (Exception ignored) {
            // closing a listener handle does not fail
        }
        session.close();
        timer.shutdownNow();
        Map<String, TaskQueue> m = QUEUES.get(db);
        if (m != null) m.remove(name, this);
    }
}
