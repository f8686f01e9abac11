package org.cairndb.remote;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.cairndb.protocol.AuthenticationException;
import org.cairndb.protocol.ErrorCodec;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.protocol.ProtocolException;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.StorageClosedException;
import org.cairndb.storage.StorageException;
import org.cairndb.storage.StorageMisuseException;
import org.cairndb.storage.spi.WaitingCallers;

/**
 * The one TCP connection of a {@link RemoteStorage}, and its reconnection: blocking sockets
 * (plain or TLS) read by a leader/follower protocol.
 *
 * <h2>Concurrency: who reads</h2>
 * A caller writes its request frame itself (under the link's write lock, never waiting for an
 * answer, so pipelined loads and streamed stores stay pipelined) and then waits for the
 * answer. If no thread holds the <em>reading role</em>, the caller takes it (before writing,
 * so the background thread cannot slip in during the write) and becomes the leader: it reads
 * frames from the socket until its own answer arrives, completing other
 * callers' {@link Pending}s with theirs and applying server pushes (invalidations) exactly
 * in wire order, then hands the role on. A caller that finds the role taken is a follower: it
 * waits on its own condition, signalled either by its answer or by the hand-off of the role.
 * The hand-off (under {@link #lock}) goes to a waiting follower; when none waits, the role
 * just becomes free, and the caller returns without waking anyone. The role itself (its
 * holder, its followers, the hand-off and their invariants) is {@link ReadingRole}; this class
 * decides when a thread takes it, follows or lets go.
 *
 * <h2>Pushes while no caller reads: the doorbell</h2>
 * A push (INVALIDATE) the server writes after the last answer a client awaits would stay
 * unread until its next request. The background thread of the connection therefore blocks on
 * a second socket, the doorbell, which the server rings (a RING frame) exactly when it writes
 * a push with no answer owed to this client (see the server's {@code Doorbell} for why that
 * rule misses none). Rung, the background thread takes the role (waiting for the holder to
 * hand it over, if any) and reads until it has read as many pushes as the ring counted; if a
 * caller read them meanwhile, it does nothing. So a sequential caller pays no thread wake-up at
 * all (the first version unparked the background thread at every hand-off, which cost 15-40
 * µs per request on two cores), and an idle client still applies invalidations at once. The
 * doorbell's end of stream also tells an idle client at once that the server went away.
 *
 * <p>Invariant: whenever the role becomes free with a request in flight, some thread was told
 * under the lock to take it (a follower, or the caller just answered, which passes the
 * hand-off on when it leaves); whenever it becomes free while the rung background thread
 * waits for it, that thread is told. Frames are dispatched by one thread at a time,
 * and the role changes hands under the lock, so each reader sees everything its predecessor
 * applied: RemoteStorage's wire-order argument for the load-versus-invalidation race holds.
 *
 * <h2>Waiting</h2>
 * Every wait ends on an event: an answer, the role becoming free, the connection dropping (all
 * pending fail with {@link RetryableException}), {@link #close()} ({@link StorageClosedException}).
 * {@code request-timeout} is a deadline that fails a request (the leader reads with the
 * socket's read timeout set to it; a follower's wait ends at it); it never decides when an
 * answered request proceeds.
 *
 * <h2>Generations and reconnecting</h2>
 * Each successful handshake is a new {@link Link} with a higher generation; a transaction
 * remembers the generation it began on and fails with {@link RetryableException} on any
 * other. After a drop the background thread reconnects at once, then with a growing pause
 * (50 ms doubling to 1 s): no event announces a restarted server, so this is the one timer.
 * No request waits on it: requests wait for {@link #ready} (completed by the handshake) or fail
 * at the connect deadline.
 *
 * <h2>Pipelined batches</h2>
 * {@link #callMany} writes a batch of requests back to back and waits for each answer in turn
 * (a prefetch: one round trip for the batch). Nothing new for the role: the first wait leads
 * and completes the others' {@link Pending}s as their answers pass; the later waits mostly find
 * theirs done. A batch that fails part-way abandons the answers still to come, as a caller past
 * its deadline does.
 *
 * <h2>Why one class of over 400 lines</h2>
 * Its one job is the connection's reading: the reading role's bookkeeping is already
 * {@link ReadingRole}; what remains (the caller's lead/follow loop, the hand-off, the drop,
 * the background thread's doorbell reads and reconnection) keeps one invariant under one lock
 * (whenever the role becomes free with a request in flight, some thread was told), and every
 * method here either keeps it or relies on it. Split in two, each half would have to be read
 * with the other to check it.
 *
 * <h2>Alternatives rejected</h2>
 * <ul>
 * <li>A Netty channel (the first version): the caller's write is handed to the event loop
 *     (task queue and eventfd wake-up) and the answer back to the caller (unpark): two thread
 *     hops per request that the blocking-socket floor does not pay; measured about 2x the
 *     floor. Here the thread that writes is, in the sequential case, the thread that reads.</li>
 * <li>A dedicated reader thread completing futures: still one hop (the unpark) per request.</li>
 * <li>Busy-spinning a follower or the reader on the socket: burns a core per idle connection
 *     (and this project's machines have two), and polling is a timer in disguise.</li>
 * <li>Letting pushes wait for the next request when idle: a client with nothing in flight
 *     would hold stale records and never learn of commits; hence the background reader.</li>
 * <li>A background reader that holds the role whenever no caller does (the second version):
 *     each caller must wake it to hand the role back, one thread wake-up per request.</li>
 * </ul>
 * Commit listeners run on whichever thread reads (a caller or the background thread): they
 * must not call back into this storage (that call would wait for the role its own thread
 * holds; it is refused as misuse instead).
 */
final class ClientConnection {
    private final RemoteStorage owner;
    private final RemoteOptions options;
    private final Dialer dialer;
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final java.util.concurrent.atomic.LongAdder roundTrips = new java.util.concurrent.atomic.LongAdder();
    /** Guards the reading role (and its followers and waiting background thread), every Pending's outcome and {@link #draining}. */
    private final ReentrantLock lock = new ReentrantLock();
    /** The background thread's reconnect pause waits here (ended early by close). */
    private final Condition idle = lock.newCondition();
    /** Who reads the socket, who waits for it, to whom it passes (its invariants are in its class comment). */
    private final ReadingRole role = new ReadingRole(lock);
    /** A drain thread runs; guarded by lock. */
    private boolean draining;

    private final Thread background;
    private volatile CompletableFuture<Link> ready = new CompletableFuture<>();
    private volatile Link link;
    private volatile boolean closed;
    private volatile RuntimeException lastServerError;
    private int generations;

    ClientConnection(RemoteStorage owner, RemoteOptions options) {
        this.owner = owner;
        this.options = options;
        this.dialer = new Dialer(owner, options);
        this.background = new Thread(this::runBackground, "cairn-client " + options.describe());
        background.setDaemon(true);
    }

    /** Connects and shakes hands, waiting up to the connect timeout; throws with the reason on failure. */
    void open() {
        background.start();
        awaitReady();
    }

    // ---- the background thread: connecting, reconnecting, reading while no caller does

    private void runBackground() {
        long backoff = 0;
        boolean first = true;
        Link last = null;
        while (!closed) {
            Link l = link;
            if (l != null) {
                last = l;
                readWhileIdle(l);
                continue;
            }
            if (last != null) awaitLastReader(last);
            if (!first && !pause(backoff)) return;
            try {
                l = dialer.dial(generations + 1);
            } catch (RuntimeException e) {
                if (first
                        || e instanceof AuthenticationException
                        || e instanceof ProtocolException
                        || !owner.everConnected()) {
                    ready.completeExceptionally(e); // fatal: a first connect, bad credentials or version
                    return;
                }
                backoff = backoff == 0 ? 50 : Math.min(1000, backoff * 2);
                continue;
            }
            first = false;
            backoff = 0;
            if (!publish(l)) return;
        }
    }

    /**
     * Before a new handshake applies its answer, the last holder of the role (reading the dropped
     * link) must have finished dispatching its frame: frames of both links must not be applied at once.
     */
    private void awaitLastReader(Link dead) {
        while (role.holder() != null && !closed) LockSupport.park(this);
    }

    /** The reconnect pause, the one timer; false when closed meanwhile. */
    private boolean pause(long millis) {
        lock.lock();
        try {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            for (long left = end - System.nanoTime(); !closed && left > 0; left = end - System.nanoTime()) {
                idle.awaitNanos(left);
            }
            return !closed;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    private boolean publish(Link l) {
        CompletableFuture<Link> r;
        lock.lock();
        try {
            if (closed) {
                l.close();
                return false;
            }
            generations = l.generation;
            link = l;
            r = ready;
        } finally {
            lock.unlock();
        }
        r.complete(l);
        return true;
    }

    /**
     * Waits for the doorbell, then reads the pushes it announced if no caller read them first.
     * Returns when the link is dead (the doorbell's end of stream drops it) or closed.
     */
    private void readWhileIdle(Link l) {
        while (!closed && !l.dead) {
            long rung;
            try {
                rung = l.awaitRing();
            } catch (IOException | RuntimeException e) {
                drop(l, e);
                return;
            }
            if (l.pushesRead() < rung && claimRole(l, rung)) lead(l, null, 0, rung);
        }
    }

    /** Takes the role for the rung pushes, waiting for its holder to hand it on; false if someone read them meanwhile. */
    private boolean claimRole(Link l, long rung) {
        lock.lock();
        try {
            while (!closed && !l.dead && !role.isFree() && l.pushesRead() < rung) role.awaitForBell();
            if (closed || l.dead || l.pushesRead() >= rung) return false;
            role.takeForBell();
            return true;
        } finally {
            lock.unlock();
        }
    }

    // ---- reading: whoever holds the role

    /**
     * Holds the reading role: reads and dispatches frames until {@code mine} is answered (a
     * caller), or (the background thread, {@code mine == null}) until {@code rung} pushes were
     * read; then hands the role on. Returns with the role released, whatever happened.
     */
    private void lead(Link l, Pending mine, long deadline, long rung) {
        boolean handed = false;
        try {
            while (true) {
                if (mine == null && l.pushesRead() >= rung && l.abandoned == 0) return;
                int timeout = 0;
                if (mine != null) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) return; // the caller fails its request at its deadline
                    timeout = (int)
                            Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left + 999_999)));
                }
                Frame f = l.read(timeout);
                switch (f.op()) {
                    case INVALIDATE -> owner.applyInvalidation(f);
                    case RESULT, ERROR -> {
                        if (f.requestId() == 0) {
                            if (f.op() == Op.RESULT) continue;
                            // a connection error: the server closes the connection after it
                            RuntimeException e = ErrorCodec.decode(f, options.describe());
                            lastServerError = e;
                            throw e;
                        }
                        Pending p = pending.remove(f.requestId());
                        if (p == null) { // its caller gave up (deadline, interrupt)
                            lock.lock();
                            try {
                                if (l.abandoned > 0) l.abandoned--;
                            } finally {
                                lock.unlock();
                            }
                            continue;
                        }
                        if (p.watch != null) p.watch.answered(owner, f);
                        lock.lock();
                        try {
                            p.answer(f);
                            if (p == mine) {
                                roleFreed(l);
                                handed = true;
                                return;
                            }
                        } finally {
                            lock.unlock();
                        }
                    }
                    default ->
                        throw new ProtocolException("server sent a " + f.op() + " frame (request id " + f.requestId()
                                + "), which only clients send");
                }
            }
        } catch (SocketTimeoutException e) {
            // the deadline of mine passed: not a fault of the connection; the caller fails its request
        } catch (IOException | RuntimeException e) {
            drop(l, e);
        } finally {
            if (!handed) release(l);
        }
    }

    /** Gives up the role without an answer having been delivered (deadline, drop, failed write, rung pushes read). */
    private void release(Link l) {
        lock.lock();
        try {
            roleFreed(l);
        } finally {
            lock.unlock();
        }
    }

    /** The role holder lets go (lock held): on a dead link the reconnecting background thread waits for exactly this. */
    private void roleFreed(Link l) {
        role.free();
        if (l.dead) {
            LockSupport.unpark(background);
            role.wakeBell();
        } else {
            handOff(l);
        }
    }

    /** Takes the reading role if it is free: a caller does so before it writes (see {@link #call}). */
    private boolean tryLead(Link l) {
        lock.lock();
        try {
            if (!role.isFree() || l.dead) return false;
            role.take(true);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The role is free (lock held): a waiting follower takes it, else the background thread if
     * the doorbell rang for it, else, if answers nobody awaits any more are still to come, a
     * drain thread (see {@link #drain}).
     */
    private void handOff(Link l) {
        if (role.handOff()) return;
        if (l.abandoned > 0 && !draining && !l.dead && !closed) {
            draining = true;
            Thread t = new Thread(() -> drain(l), "cairn-client-drain " + options.describe());
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * Reads while answers are owed to callers that gave up on them (deadline, interrupt). The
     * server does not ring for pushes written while it owes an answer, counting on the reader
     * of that answer to read them first; with its caller gone, nobody would. Rare (it follows a
     * failed request), so a short-lived thread rather than a wake-up on every request.
     */
    private void drain(Link l) {
        while (true) {
            lock.lock();
            try {
                if (closed || l.dead || !role.isFree() || l.abandoned == 0) {
                    draining = false;
                    return;
                }
                role.take(false);
            } finally {
                lock.unlock();
            }
            lead(l, null, 0, 0);
        }
    }

    /** A caller stops waiting for the answer to {@code id} (lock held): if it is still to come, the link owes it. */
    private void abandon(Link l, int id) {
        if (pending.remove(id) != null) l.abandoned++;
    }

    private void drop(Link l, Throwable cause) {
        lock.lock();
        try {
            if (l.dead) return;
            l.dead = true; // its reader (if any) is woken by the socket's close and releases the role itself
            if (link == l) {
                link = null;
                if (ready.isDone()) ready = new CompletableFuture<>();
            }
            role.wakeAll();
        } finally {
            lock.unlock();
        }
        LockSupport.unpark(background);
        l.close();
        if (closed) {
            failAll(this::closedException);
            return;
        }
        RuntimeException why = lastServerError;
        String reason = "connection to " + options.describe() + " lost"
                + (why != null
                        ? " (" + why.getMessage() + ")"
                        : cause != null && cause.getMessage() != null ? " (" + cause.getMessage() + ")" : "")
                + "; the request was not answered and any transaction in flight is aborted by the server; retry it";
        failAll(() -> new RetryableException(reason));
        lastServerError = null;
    }

    private void failAll(Supplier<RuntimeException> error) {
        for (Integer id : pending.keySet()) {
            Pending p = pending.remove(id);
            if (p == null) continue;
            lock.lock();
            try {
                p.fail(error.get());
            } finally {
                lock.unlock();
            }
        }
    }

    // ---- callers

    Link awaitReady() {
        if (closed) throw closedException();
        Link l = link;
        if (l != null) return l;
        try {
            // ends when the link is up (the future completes); the timeout is the connect deadline that fails the call
            return ready.get(options.connectTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new RetryableException("not connected to " + options.describe() + " within the connect timeout of "
                    + options.connectTimeoutMillis + " ms (the server may be restarting; retry later)");
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            // keep the original exception: it names the server and the reason
            throw t instanceof RuntimeException r ? r : new StorageException(String.valueOf(t.getMessage()), t);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for the connection to " + options.describe(), e);
        }
    }

    /** Sends a request and waits for its answer (RESULT frame; ERROR frames are thrown). */
    Frame call(Op op, PayloadWriter payload, int generation, AnswerWatch watch) {
        checkSize(op, payload);
        if (Thread.currentThread() == background && link == null) throw listenerMisuse(op);
        Link l = awaitReady();
        if (generation > 0 && l.generation != generation) throw lostTransaction();
        int id = nextId();
        Pending p = new Pending(watch);
        pending.put(id, p);
        // drop() marks the link dead before it fails the pending: either it sees p, or p sees dead
        if (closed || l.dead) {
            pending.remove(id);
            throw closed ? closedException() : lostConnection(op, null);
        }
        // the role is taken before the write: the background thread, rung for a push, must not take
        // it while this thread is in the write system call (it would read this answer: a thread hop)
        roundTrips.increment();
        boolean leading = tryLead(l);
        try {
            l.write(payload.frame(id, op), true);
        } catch (IOException e) {
            pending.remove(id);
            drop(l, e);
            if (leading) release(l);
            throw lostConnection(op, e);
        }
        Frame answer;
        WaitingCallers.enter(); // visible to tests: a leader reading its answer is RUNNABLE to the JVM
        try {
            answer = await(l, p, id, op, leading);
        } finally {
            WaitingCallers.exit();
        }
        if (answer.op() == Op.ERROR) throw ErrorCodec.decode(answer, options.describe());
        return answer;
    }

    /**
     * Sends {@code payloads.length} requests of one op back to back (one flush, at the end) and
     * waits for all their answers: a pipeline, one round trip for all of them. Returns the
     * answers in request order; an ERROR answer is returned, not thrown, so one refused request
     * (an object that does not exist) does not fail the others. {@code watches[i]} (or null) is
     * applied to answer {@code i} by the reading thread, as in {@link #call}. The caller keeps
     * the batch small enough for the socket's buffers (a few KB of requests): it writes all of
     * them before it reads any answer.
     */
    Frame[] callMany(Op op, PayloadWriter[] payloads, int generation, AnswerWatch[] watches) {
        int n = payloads.length;
        for (PayloadWriter w : payloads) checkSize(op, w);
        if (Thread.currentThread() == background && link == null) throw listenerMisuse(op);
        Link l = awaitReady();
        if (generation > 0 && l.generation != generation) throw lostTransaction();
        int[] ids = new int[n];
        Pending[] ps = new Pending[n];
        for (int i = 0; i < n; i++) {
            ids[i] = nextId();
            ps[i] = new Pending(watches == null ? null : watches[i]);
            pending.put(ids[i], ps[i]);
        }
        if (closed || l.dead) {
            for (int id : ids) pending.remove(id);
            throw closed ? closedException() : lostConnection(op, null);
        }
        roundTrips.increment();
        boolean leading = tryLead(l);
        try {
            for (int i = 0; i < n; i++) l.write(payloads[i].frame(ids[i], op), i == n - 1);
        } catch (IOException e) {
            for (int id : ids) pending.remove(id);
            drop(l, e);
            if (leading) release(l);
            throw lostConnection(op, e);
        }
        Frame[] out = new Frame[n];
        int done = 0;
        WaitingCallers.enter();
        try {
            // the first wait leads (reads every answer that comes before its own, completing the
            // others' Pendings); the later ones mostly find their answer already there
            for (; done < n; done++) out[done] = await(l, ps[done], ids[done], op, leading && done == 0);
        } finally {
            WaitingCallers.exit();
            if (done < n) { // failed part-way: the answers still to come are owed to nobody
                lock.lock();
                try {
                    for (int i = done + 1; i < n; i++) abandon(l, ids[i]);
                    if (role.isFree() && !l.dead) handOff(l);
                } finally {
                    lock.unlock();
                }
            }
        }
        return out;
    }

    /** Requests the callers waited for, a pipelined batch counting once (tests and benchmarks). */
    long roundTrips() {
        return roundTrips.sum();
    }

    private Frame await(Link l, Pending p, int id, Op op, boolean leading) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.requestTimeoutMillis);
        Thread me = Thread.currentThread();
        if (leading) lead(l, p, deadline, 0); // returns with the role released
        lock.lock();
        try {
            while (!p.done()) {
                if (role.holder() == me) {
                    abandon(l, id);
                    throw listenerMisuse(op);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    abandon(l, id);
                    p.fail(new StorageException("no answer to " + op + " from " + options.describe()
                            + " within the request timeout of " + options.requestTimeoutMillis
                            + " ms (raise ?request-timeout=seconds, or check the server with cairn status)"));
                } else if (role.isFree() && !l.dead) {
                    role.take(true);
                    lock.unlock();
                    try {
                        lead(l, p, deadline, 0);
                    } finally {
                        lock.lock();
                    }
                } else {
                    role.follow(p, left);
                }
            }
            // leaving: if nobody reads now, a follower (or the rung background thread) must
            if (role.isFree() && !l.dead) handOff(l);
        } catch (InterruptedException e) {
            abandon(l, id);
            p.fail(new StorageException("interrupted while waiting for " + op + " from " + options.describe(), e));
            if (role.isFree() && !l.dead) handOff(l);
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        return p.result();
    }

    /** Writes a streamed (unanswered) frame of a transaction on its generation; flushes when asked. */
    void send(Op op, PayloadWriter payload, int generation, boolean flush) {
        checkSize(op, payload);
        Link l = awaitReady();
        if (l.generation != generation) throw lostTransaction();
        try {
            l.write(payload.frame(0, op), flush);
        } catch (IOException e) {
            drop(l, e);
            throw lostConnection(op, e);
        }
    }

    /** Sends without waiting or caring about the generation (ABORT, ITERATE_CLOSE). */
    void sendIfConnected(Op op, PayloadWriter payload, int generation) {
        Link l = link;
        if (l == null || l.generation != generation) return;
        try {
            l.write(payload.frame(0, op), true);
        } catch (IOException e) {
            drop(l, e);
        }
    }

    /** Refuses a frame the server would refuse (and close the connection for) before it is sent. */
    private void checkSize(Op op, PayloadWriter payload) {
        if (payload.size() + 5L > options.maxFrame) {
            throw new StorageMisuseException(
                    options.describe() + ": " + op + " of " + payload.size()
                            + " bytes exceeds the maximum frame size of " + options.maxFrame
                            + " bytes (split the record or transaction, or raise the server's --max-frame and the client's ?max-frame=)");
        }
    }

    long callerLeads() {
        return role.callerLeads();
    }

    long backgroundLeads() {
        return role.backgroundLeads();
    }

    /** The live link, or null while disconnected (tests). */
    Link link() {
        return link;
    }

    int generation() {
        return awaitReady().generation;
    }

    /** The generation of the live connection, or -1 while disconnected. */
    int currentGeneration() {
        Link l = link;
        return l == null ? -1 : l.generation;
    }

    void close() {
        closed = true;
        ready.completeExceptionally(closedException());
        Link l;
        lock.lock();
        try {
            l = link;
            link = null;
            if (l != null) l.dead = true;
            role.wakeAll();
            idle.signalAll();
        } finally {
            lock.unlock();
        }
        LockSupport.unpark(background);
        failAll(this::closedException);
        if (l != null) l.close();
        dialer.abort();
    }

    // ---- messages and helpers

    private StorageMisuseException listenerMisuse(Op op) {
        return new StorageMisuseException(
                options.describe() + ": " + op + " called from a commit listener while it applies an"
                        + " invalidation; the listener runs on the thread reading the connection and must not call the storage (hand the"
                        + " work to another thread)");
    }

    private StorageClosedException closedException() {
        return new StorageClosedException("remote storage " + options.describe());
    }

    private RetryableException lostConnection(Op op, IOException e) {
        return new RetryableException("could not send " + op + " to " + options.describe() + ": the connection was lost"
                + (e != null ? " (" + e.getMessage() + ")" : "") + "; retry it");
    }

    private RetryableException lostTransaction() {
        return new RetryableException(
                "the connection to " + options.describe() + " was lost and re-established during this"
                        + " transaction or view; the server aborted the transaction (or dropped the view's snapshot). Retry the transaction"
                        + " (a view: sync it)");
    }

    private int nextId() {
        return Dialer.nextId(ids);
    }
}
