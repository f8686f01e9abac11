package org.cairndb.tasks;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cairndb.client.Connection;
import org.cairndb.client.TransactionManager;
import org.cairndb.storage.RetryableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job on one runner thread: claim (by the dispatcher), run, record.
 *
 * <ol>
 * <li><b>Claim</b> ({@link #claimIn}, in the dispatcher's transaction, a batch at a time): the
 *     job must still be pending and due, or running under a lease that ran out; a serial
 *     queue's slot must be free, a rate-limited queue's window open. The claim writes the job
 *     (state, owner, lease, attempt) and commits; a conflict means another worker got one of
 *     the batch first, and the dispatcher looks again.</li>
 * <li><b>Run</b> (a second transaction): the handler runs with the runner's connection; then
 *     the job, still at the version this claim wrote, gets its result and moves to the done
 *     index, in the same commit as the handler's writes. If the job changed meanwhile (taken
 *     over after this worker's lease ran out) that commit conflicts and nothing of it is
 *     applied. If only the handler's writes conflicted, the handler runs again on the new
 *     state (at most three times), then the attempt counts as failed.</li>
 * <li><b>Failure</b> (a third transaction): a thrown error, a timeout (a timer interrupts the
 *     handler's thread) or a cancel rolls the handler's writes back; the job records the
 *     error and goes back to pending after its backoff, or to DEAD (or CANCELLED).</li>
 * </ol>
 */
final class Runner implements TaskContext {
    private static final Logger LOG = LoggerFactory.getLogger(Runner.class);
    private static final int EFFECT_RETRIES = 3;

    private final Worker worker;
    private final Connection conn;
    private final TransactionManager tm;
    private final long oid;
    private final AtomicBoolean inHandler = new AtomicBoolean();
    private volatile boolean stop;
    private volatile String stopReason;
    private volatile Thread thread;
    private long version;
    private int attempt;

    Runner(Worker worker, Connection conn, Worker.Claimed claimed) {
        this.worker = worker;
        this.conn = conn;
        this.tm = conn.transactionManager();
        this.oid = claimed.oid();
        this.version = claimed.version();
        this.attempt = claimed.attempt();
    }

    @Override
    public TaskId id() {
        return new TaskId(oid);
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public Connection connection() {
        return conn;
    }

    @Override
    public boolean stopRequested() {
        return stop;
    }

    void run() {
        thread = Thread.currentThread();
        Job j = null;
        Throwable error = null;
        for (int tries = 1; ; tries++) {
            tm.begin();
            j = conn.get(oid);
            if (j.version() != version || j.state() != TaskState.RUNNING) {
                tm.abort(); // taken over by another worker
                return;
            }
            if (j.cancelRequested()) {
                tm.abort();
                error = null;
                requestStop("cancelled");
                break;
            }
            Object result;
            try {
                result = callHandler(j);
            } catch (Throwable t) {
                tm.abort();
                error = t;
                break;
            }
            if (stop) {
                tm.abort();
                break;
            }
            long now = System.currentTimeMillis();
            j.succeed(result, now);
            QueueState q = conn.get(worker.queueOid);
            q.finished(j);
            Submit.nextOccurrence(conn, j, now);
            try {
                tm.commit();
                return;
            } catch (RetryableException e) {
                // the job changed (taken over: nothing applied) or the handler's writes conflicted: look again
                if (tries >= EFFECT_RETRIES) {
                    error = e;
                    break;
                }
            }
        }
        recordFailure(error);
    }

    private Object callHandler(Job j) throws Exception {
        long timeout = j.timeoutMillis();
        ScheduledFuture<?> timer = null;
        if (timeout > 0) {
            timer = worker.timers.schedule(
                    () -> requestStop("timed out after " + timeout + " ms"), timeout, TimeUnit.MILLISECONDS);
        }
        inHandler.set(true);
        try {
            @SuppressWarnings("unchecked")
            TaskHandler<Object> h = (TaskHandler<Object>) worker.handler;
            return h.handle(j.payload(), this);
        } finally {
            synchronized (this) {
                inHandler.set(false);
                Thread.interrupted(); // the interrupt was for the handler only
            }
            if (timer != null) timer.cancel(false);
        }
    }

    /** A cancel or timeout: tells the handler and interrupts its thread if it is still in the handler. */
    private void requestStop(String why) {
        if (stopReason == null) stopReason = why;
        stop = true;
        synchronized (this) {
            Thread t = thread;
            if (inHandler.get() && t != null) t.interrupt();
        }
    }

    /** Told by the worker's commit listener that this job's record changed (maybe a cancel request). */
    void jobChanged() {
        if (!inHandler.get() || stop) return; // claims and completions are this runner's own writes
        worker.timers.execute(() -> {
            try {
                if (worker.queue.status(id()).cancelRequested()) requestStop("cancelled");
            } catch (RuntimeException e) {
                LOG.debug("checking job {} for a cancel failed: {}", id(), e.toString());
            }
        });
    }

    /**
     * Claims {@code j} for {@code worker} in {@code conn}'s current transaction (the dispatcher's
     * batch): returns the version and attempt the claim wrote, or null when the job is not to be
     * run now (taken, not due, blocked by the serial slot or rate limit; or ended here: a pending
     * job asked to cancel, or a last attempt whose worker died).
     */
    static long[] claimIn(Connection conn, Job j, QueueState q, WorkerLease mine, Worker worker, long now) {
        TaskState s = j.state();
        if (s == TaskState.PENDING && j.cancelRequested()) {
            j.cancel(now);
            q.finished(j);
            return null;
        }
        if (s == TaskState.PENDING) {
            if (j.dueAt() > now) return null;
        } else if (s == TaskState.RUNNING) {
            WorkerLease l = j.ownerLease();
            // a live lease keeps the job, unless it is this worker's own and no runner has it (handed over again
            // after a completion failed, e.g. on a lost connection)
            if (l != null && l.alive(now) && l.oid() != worker.leaseOid) return null;
            if (j.attempts() >= j.status().maxAttempts()) { // its last attempt died with its worker
                j.fail("worker " + j.owner() + " stopped renewing its lease during attempt " + j.attempts(), now);
                q.finished(j);
                Submit.nextOccurrence(conn, j, now);
                return null;
            }
        } else {
            return null;
        }
        SerialSlot slot = q.slot();
        if (slot != null) {
            if (!slot.freeFor(j.oid(), now)) return null;
            slot.hold(j.oid(), mine);
        }
        RateWindow rate = q.rate();
        if (rate != null) {
            if (rate.nextAllowed(now) > now) return null;
            rate.take(now);
        }
        j.claim(mine, worker.id, now);
        return new long[] {j.version(), j.attempts()};
    }

    private void recordFailure(Throwable error) {
        String why = stopReason != null ? stopReason : error == null ? "stopped" : oneLine(error);
        boolean cancelled = "cancelled".equals(stopReason);
        tm.run(10, () -> {
            Job j = conn.get(oid);
            if (j.version() != version || j.state() != TaskState.RUNNING) return; // taken over meanwhile
            long now = System.currentTimeMillis();
            if (cancelled || j.cancelRequested()) j.cancel(now);
            else j.fail(why, now);
            if (j.state().isFinal()) {
                QueueState q = conn.get(worker.queueOid);
                q.finished(j);
                Submit.nextOccurrence(conn, j, now);
            } else {
                QueueState q = conn.get(worker.queueOid);
                SerialSlot slot = q.slot();
                if (slot != null) slot.release(oid);
                q.liveShard(oid).put(oid, j); // touches the shard: other workers' dispatchers see the new due time
                worker.timers.schedule(worker::wake, Math.max(0, j.dueAt() - now), TimeUnit.MILLISECONDS);
            }
        });
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage();
        String s = t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
