package org.cairndb.tasks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.TransactionManager;
import org.cairndb.client.collections.PersistentMap;
import org.cairndb.storage.CommitListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a queue's jobs on a pool of threads, each with its own connection.
 *
 * <p>Over 400 lines, one job: running one queue's jobs in this process. The dispatcher, the
 * runner threads, the lease and the wake-ups share one state (idle runners, jobs in flight, the
 * one timer's due time), and starting and closing must order them; running a handler in its
 * transaction is {@link Runner}'s already. The rest is the {@link Builder} and the pruning timer.
 *
 * <h2>Design</h2>
 * One dispatcher thread decides what to try; the runner threads claim and run. The
 * dispatcher sleeps (parked, no timeout) until woken by (a) a commit touching the queue's
 * live shards, serial slot or one of this worker's running jobs (the storage's commit
 * listener), (b) a runner becoming idle, or (c) its one timer, set to the earliest due time,
 * lease expiry or rate-limit opening it saw. Woken, it reads the live jobs on a fresh
 * snapshot, orders the ready ones (priority, then age, then oid) and claims as many as there
 * are idle runners, all in one transaction that writes those jobs (and the slot/rate window
 * of a serial/rate-limited queue): one commit per batch, as a polling scheduler fetches a
 * batch per query. Losing that race to another worker is a conflict it swallows: it looks
 * again on the new state. Each runner then runs its handler in a transaction whose commit
 * stores the outcome together with the handler's own writes ({@link Runner}).
 *
 * <p>A lease ({@link WorkerLease}) renewed by a timer every third of its length tells others
 * this worker lives; jobs of a worker whose lease ran out are taken over.
 */
public final class Worker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    private static final AtomicInteger SEQ = new AtomicInteger();

    /** Options of a worker. */
    public static final class Builder<P> {
        private final TaskQueue queue;
        private final TaskHandler<P> handler;
        private int threads = 1;
        private Duration lease = Duration.ofSeconds(30);
        private String name;

        Builder(TaskQueue queue, TaskHandler<P> handler) {
            this.queue = queue;
            this.handler = handler;
        }

        public Builder<P> threads(int n) {
            if (n < 1) throw new IllegalArgumentException("a worker needs at least one thread, was " + n);
            threads = n;
            return this;
        }

        /** How long others wait after this worker stops renewing before taking its jobs over (default 30 s). */
        public Builder<P> lease(Duration d) {
            if (d.toMillis() < 100) throw new IllegalArgumentException("a lease must be at least 100 ms, was " + d);
            lease = d;
            return this;
        }

        /**
         * Prunes the queue's finished jobs every {@code every} (a timer): those that ended more
         * than {@code olderThan} ago, and all beyond the newest {@code keep} (default: no pruning).
         */
        public Builder<P> pruneFinished(Duration olderThan, int keep, Duration every) {
            if (keep < 0 || olderThan.isNegative() || every.toMillis() < 1) {
                throw new IllegalArgumentException("pruning needs keep >= 0, olderThan >= 0 and a positive period; was "
                        + keep + ", " + olderThan + ", " + every);
            }
            pruneOlderThan = olderThan;
            pruneKeep = keep;
            pruneEvery = every;
            return this;
        }

        private Duration pruneOlderThan, pruneEvery;
        private int pruneKeep;

        /** The worker's name in listings (default host-pid-n). */
        public Builder<P> name(String n) {
            name = n;
            return this;
        }

        public Worker start() {
            String id =
                    name != null ? name : ManagementFactory.getRuntimeMXBean().getName() + "-" + SEQ.incrementAndGet();
            Worker w = new Worker(queue, handler, threads, lease.toMillis(), id);
            w.begin();
            if (pruneEvery != null) w.prunePeriodically(pruneOlderThan, pruneKeep, pruneEvery);
            return w;
        }
    }

    final TaskQueue queue;
    final TaskHandler<?> handler;
    final String id;
    final long leaseMillis;
    final Database db;
    final ScheduledExecutorService timers;
    private final int threads;
    private final List<Thread> runners = new ArrayList<>();
    private final LinkedBlockingQueue<Claimed> handoff = new LinkedBlockingQueue<>();
    private static final Claimed STOP = new Claimed(-1, 0, 0);

    /** A job the dispatcher claimed for a runner: the version and attempt its claim wrote. */
    record Claimed(long oid, long version, int attempt) {}
    /** Jobs handed to a runner and not yet given back. */
    final Set<Long> inFlight = ConcurrentHashMap.newKeySet();

    private final AtomicInteger idle = new AtomicInteger();
    private final AtomicLong wakes = new AtomicLong();
    private volatile boolean running = true;
    private volatile long[] wakeOids = new long[0];
    private Thread dispatcher;
    private AutoCloseable listener;
    private ScheduledFuture<?> renewal;
    private ScheduledFuture<?> nextTimer;
    private long nextTimerAt = Long.MAX_VALUE;
    /** This worker's lease's oid, and the oid of the queue state (read by runners in their own connections). */
    volatile long leaseOid;

    volatile long queueOid;
    private final java.util.Map<Long, Runner> active = new ConcurrentHashMap<>();

    private Worker(TaskQueue queue, TaskHandler<?> handler, int threads, long leaseMillis, String id) {
        this.queue = queue;
        this.handler = handler;
        this.threads = threads;
        this.leaseMillis = leaseMillis;
        this.id = id;
        this.db = queue.database();
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "cairn-tasks-lease-" + id));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public String id() {
        return id;
    }

    private void begin() {
        // the lease (and the queue, if new) first, so runners and other workers can see us
        long[] oids = onTimerThread(() -> {
            Connection c = timerConnection();
            org.cairndb.client.Persistent[] made = c.transactionManager().run(10, () -> {
                QueueState q = QueueState.findOrCreate(c, queue.name());
                WorkerLease l = new WorkerLease(id, System.currentTimeMillis() + leaseMillis);
                c.add(l);
                q.workers().put(id, l);
                return new org.cairndb.client.Persistent[] {q, l};
            });
            return new long[] {made[0].oid(), made[1].oid()}; // a new queue has its oid once committed
        });
        queueOid = oids[0];
        leaseOid = oids[1];
        long period = Math.max(30, leaseMillis / 3);
        renewal = timers.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
        CommitListener l = (tid, changed) -> {
            long[] w = wakeOids;
            for (long oid : changed) {
                Runner r = active.get(oid);
                if (r != null) r.jobChanged();
                for (long x : w) {
                    if (x == oid) {
                        wake();
                        return;
                    }
                }
            }
        };
        listener = db.storage().addCommitListener(l);
        for (int i = 0; i < threads; i++) {
            Thread t = daemon(this::runLoop, "cairn-tasks-" + queue.name() + "-" + id + "-" + i);
            runners.add(t);
            t.start();
        }
        dispatcher = daemon(this::dispatchLoop, "cairn-tasks-dispatch-" + queue.name() + "-" + id);
        dispatcher.start();
        queue.started(this);
    }

    private void prunePeriodically(Duration olderThan, int keep, Duration every) {
        timers.scheduleAtFixedRate(
                () -> {
                    try {
                        int n = queue.prune(olderThan, keep);
                        if (n > 0) LOG.debug("worker {} pruned {} finished job(s) of queue '{}'", id, n, queue.name());
                    } catch (RuntimeException e) {
                        LOG.warn(
                                "worker {} could not prune queue '{}' (tried again in {}): {}",
                                id,
                                queue.name(),
                                every,
                                e.toString());
                    }
                },
                every.toMillis(),
                every.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    // ---- the timer thread's connection: lease renewal ----

    private Connection timerConn;

    private Connection timerConnection() {
        if (timerConn == null || timerConn.isClosed()) timerConn = db.open();
        return timerConn;
    }

    private <T> T onTimerThread(java.util.concurrent.Callable<T> work) {
        try {
            return timers.submit(work).get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException("starting worker " + id + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting worker " + id, e);
        }
    }

    private void renew() {
        try {
            Connection c = timerConnection();
            c.transactionManager().run(3, () -> {
                WorkerLease l = c.get(leaseOid);
                l.renew(System.currentTimeMillis() + leaseMillis);
            });
        } catch (RuntimeException e) {
            LOG.warn(
                    "worker {} could not renew its lease (tried again in {} ms): {}",
                    id,
                    leaseMillis / 3,
                    e.toString());
        }
    }

    // ---- waking ----

    void wake() {
        wakes.incrementAndGet();
        Thread d = dispatcher;
        if (d != null) LockSupport.unpark(d);
    }

    /** Sets the dispatcher's timer to {@code at} (epoch ms) unless an earlier one is set. */
    private synchronized void wakeAt(long at) {
        if (at >= nextTimerAt && nextTimer != null && !nextTimer.isDone()) return;
        if (nextTimer != null) nextTimer.cancel(false);
        nextTimerAt = at;
        try {
            nextTimer = timers.schedule(
                    () -> {
                        synchronized (this) {
                            nextTimerAt = Long.MAX_VALUE;
                        }
                        wake();
                    },
                    Math.max(0, at - System.currentTimeMillis()),
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            nextTimer = null; // the worker is stopping
        }
    }

    // ---- the dispatcher ----

    private void dispatchLoop() {
        Connection c = db.open();
        TransactionManager tm = c.transactionManager();
        try {
            long seen = -1;
            while (running) {
                long w = wakes.get();
                if (w == seen) {
                    LockSupport.park(this); // until a commit, an idle runner or the timer unparks us
                    continue;
                }
                seen = w;
                try {
                    tm.begin();
                    dispatch(c);
                } catch (org.cairndb.storage.RetryableException lost) {
                    wake(); // another worker claimed some of them first, or the storage was briefly away: look again
                } catch (RuntimeException | Error e) {
                    if (running)
                        LOG.warn(
                                "worker {} of queue '{}': reading the queue failed (tried again at the next commit): {}",
                                id,
                                queue.name(),
                                e.toString());
                    if (running) wakeAt(System.currentTimeMillis() + leaseMillis / 3);
                } finally {
                    abortQuietly(tm); // the dispatcher must outlive a lost connection
                }
            }
        } finally {
            if (!c.isClosed()) c.close();
        }
    }

    private static void abortQuietly(TransactionManager tm) {
        try {
            tm.abort();
        } catch (RuntimeException e) {
            LOG.debug("aborting after a failed dispatch failed too (the next begin syncs again): {}", e.toString());
        }
    }

    private void dispatch(Connection c) {
        QueueState q = c.get(queueOid);
        wakeOids = q.wakeOids();
        long now = System.currentTimeMillis();
        long next = Long.MAX_VALUE;
        int free = idle.get() - handoff.size();
        SerialSlot slot = q.slot();
        if (slot != null) {
            if (!slot.freeFor(-2, now)) {
                next = Math.min(next, slot.heldUntil());
                free = 0;
            } else {
                free = inFlight.isEmpty() ? Math.min(free, 1) : 0;
            }
        }
        RateWindow rate = q.rate();
        if (rate != null) {
            long at = rate.nextAllowed(now);
            if (at > now) {
                next = Math.min(next, at);
                free = 0;
            } else {
                free = inFlight.isEmpty() ? Math.min(free, 1) : 0;
            }
        }
        List<Job> ready = new ArrayList<>();
        for (PersistentMap<Long, Job> shard : q.liveShards()) {
            for (Job j : shard.values()) {
                if (inFlight.contains(j.oid())) continue;
                if (j.state() == TaskState.PENDING) {
                    if (j.dueAt() <= now || j.cancelRequested()) ready.add(j);
                    else next = Math.min(next, j.dueAt());
                } else if (j.state() == TaskState.RUNNING) {
                    WorkerLease l = j.ownerLease();
                    if (l == null || !l.alive(now)) ready.add(j); // its worker is gone: take it over
                    else if (l.oid() == leaseOid)
                        ready.add(j); // ours but no runner has it: its completion failed (lost connection)
                    else next = Math.min(next, l.expiresAt() + 1);
                }
            }
        }
        if (next != Long.MAX_VALUE) wakeAt(next);
        if (free <= 0 || ready.isEmpty()) return;
        ready.sort(Comparator.comparingInt(Job::priority)
                .reversed()
                .thenComparingLong(Job::dueAt)
                .thenComparingLong(Job::oid));
        // claim the best ones for the idle runners in one transaction (one commit for a batch of claims)
        List<Job> chosen = new ArrayList<>();
        List<Claimed> claimed = new ArrayList<>();
        WorkerLease mine = c.get(leaseOid);
        boolean wrote = false;
        for (int i = 0; i < ready.size() && claimed.size() < free; i++) {
            Job j = ready.get(i);
            if (!inFlight.add(j.oid())) continue;
            chosen.add(j);
            long[] got = Runner.claimIn(c, j, q, mine, this, now);
            wrote |= got != null || j.state().isFinal();
            if (got != null) claimed.add(new Claimed(j.oid(), got[0], (int) got[1]));
        }
        try {
            if (wrote) c.transactionManager().commit();
        } catch (RuntimeException e) {
            for (Job j : chosen) inFlight.remove(j.oid());
            throw e;
        }
        for (Job j : chosen) {
            boolean handed = false;
            for (Claimed cl : claimed) handed |= cl.oid() == j.oid();
            if (!handed) inFlight.remove(j.oid());
        }
        handoff.addAll(claimed);
    }

    // ---- the runners ----

    private void runLoop() {
        Connection c = db.open();
        try {
            while (running) {
                idle.incrementAndGet();
                wake();
                Claimed job;
                try {
                    job = handoff.take();
                } catch (InterruptedException e) {
                    break;
                } finally {
                    idle.decrementAndGet();
                }
                if (job.oid() < 0) break;
                long oid = job.oid();
                Runner r = new Runner(this, c, job);
                active.put(oid, r);
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.warn(
                            "worker {} of queue '{}': job {} failed in the queue's machinery (it is taken up again): {}",
                            id,
                            queue.name(),
                            new TaskId(oid),
                            e.toString());
                    abortQuietly(c.transactionManager());
                    wakeAt(System.currentTimeMillis() + leaseMillis / 3);
                } finally {
                    active.remove(oid);
                    inFlight.remove(oid);
                    Thread.interrupted(); // a late timeout's interrupt must not reach the next job
                }
            }
        } finally {
            try {
                c.transactionManager().abort();
                c.close();
            } catch (RuntimeException e) {
                LOG.debug("closing a runner's connection failed: {}", e.toString());
            }
        }
    }

    /** Stops taking jobs, lets running handlers finish, ends the lease (so others need not wait for it) and stops the threads. */
    @Override
    public void close() {
        if (!running) return;
        running = false;
        wake();
        for (int i = 0; i < runners.size(); i++) handoff.add(STOP);
        try {
            for (Thread t : runners) t.join();
            if (dispatcher != null) dispatcher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            listener.close();
        } catch (Exception ignored) {
            // a listener handle closes without failing
        }
        renewal.cancel(false);
        try {
            onTimerThread(() -> {
                Connection c = timerConnection();
                c.transactionManager().run(3, () -> {
                    WorkerLease l = c.get(leaseOid);
                    l.stop();
                    QueueState q = c.get(queueOid);
                    q.workers().remove(id);
                });
                c.close();
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn(
                    "worker {} could not end its lease (others take its jobs over when it runs out): {}",
                    id,
                    e.toString());
        }
        timers.shutdownNow();
        queue.stopped(this);
    }

    /** Stops renewing the lease while the runners go on: what a frozen or partitioned process looks like to others. For tests. */
    void stopRenewing() {
        renewal.cancel(false);
    }
}
