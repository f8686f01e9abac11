package org.cairndb.storage.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fault-injecting TCP proxy for tests: sits between a client and a server on loopback and
 * breaks the conversation at moments a test chooses, for real (sockets closed, so each side
 * sees its peer vanish, as after a crash or a cable pulled).
 *
 * <h2>What it can do</h2>
 * <ul>
 * <li>{@link Fault.Action#CUT_BEFORE}: a client request of an op is not forwarded; the
 *     connection is cut instead (the server never saw it).</li>
 * <li>{@link Fault.Action#CUT_AFTER_ANSWER}: the server's answer to a request of an op is
 *     forwarded, then the connection is cut (the client got it; whatever it sends next is
 *     lost). Use it with a lost-answer variant below to make the client miss the answer.</li>
 * <li>{@link Fault.Action#CUT_BEFORE_ANSWER}: the server processed the request, its answer
 *     is not forwarded and the connection is cut (the client cannot know the outcome).</li>
 * <li>{@link Fault.Action#DROP}: a request is not forwarded and the connection stays
 *     open (the client waits for an answer that never comes).</li>
 * <li>{@link Fault.Action#DELAY}: a request is forwarded after a pause.</li>
 * <li>{@link #stopReading(Side)}: stop reading from one side (nothing more is forwarded from
 *     it and its writes back up, as with a stopped process); {@link #resumeReading(Side)}.</li>
 * <li>{@link #cutAll()}, {@link #hold()} / {@link #release(int)} (new connections wait, e.g.
 *     until a restarted server is ready, then go to its port).</li>
 * </ul>
 * Each fault fires on every {@code every}-th matching frame, counted over all connections,
 * at most {@code times} times. {@link #faults()} counts what fired; {@link #nextFault()}
 * completes at the next one.
 *
 * <h2>Framing</h2>
 * {@link Framing#CAIRN}: Cairn's frames ({@code length:i32 requestId:i32 op:i8 payload}, see
 * docs/protocol.md); a request's op is read from its frame and an answer is matched to it by
 * request id, so "the third answer to FINISH" can be targeted. Ops are given as their byte
 * codes, so this class needs nothing from the protocol module. {@link Framing#RAW}: bytes
 * only (any protocol, e.g. PostgreSQL's): only {@link #cutAll()}, hold and stopReading apply.
 *
 * <h2>Why in storage-api's test-jar</h2>
 * Every module's tests already depend on it (client, server, postgres, tests, migrate-tool),
 * and the proxy depends on nothing but the JDK, so any test can use it without a new
 * dependency edge between modules. Its source lives in {@code src/testkit/java} (a test
 * source root of storage-api) so that {@code cairn bench faults} can compile it too: the
 * test-jar is not built when tests are skipped.
 */
public final class FaultProxy implements AutoCloseable {
    /** How the bytes through the proxy are cut into frames. */
    public enum Framing {
        CAIRN,
        RAW
    }

    /** The side of a connection the proxy reads from. */
    public enum Side {
        CLIENT,
        SERVER
    }

    /** One fault rule; build with the static methods, then {@link #every}/{@link #times}. */
    public record Fault(Action action, int op, int every, int times, long delayMillis) {
        public enum Action {
            CUT_BEFORE,
            CUT_AFTER_ANSWER,
            CUT_BEFORE_ANSWER,
            DROP,
            DELAY
        }

        public static Fault cutBefore(int op) {
            return new Fault(Action.CUT_BEFORE, op, 1, Integer.MAX_VALUE, 0);
        }

        public static Fault cutAfterAnswer(int op) {
            return new Fault(Action.CUT_AFTER_ANSWER, op, 1, Integer.MAX_VALUE, 0);
        }

        public static Fault cutBeforeAnswer(int op) {
            return new Fault(Action.CUT_BEFORE_ANSWER, op, 1, Integer.MAX_VALUE, 0);
        }

        public static Fault drop(int op) {
            return new Fault(Action.DROP, op, 1, Integer.MAX_VALUE, 0);
        }

        public static Fault delay(int op, long millis) {
            return new Fault(Action.DELAY, op, 1, Integer.MAX_VALUE, millis);
        }

        /** Fires on every n-th matching frame only (1: each). */
        public Fault every(int n) {
            return new Fault(action, op, n, times, delayMillis);
        }

        /** Fires at most n times. */
        public Fault times(int n) {
            return new Fault(action, op, every, n, delayMillis);
        }

        /** Fires once, on the n-th matching frame. */
        public Fault nth(int n) {
            return every(n).times(1);
        }
    }

    private static final class Armed {
        final Fault fault;
        final AtomicLong seen = new AtomicLong();
        final AtomicLong fired = new AtomicLong();

        Armed(Fault fault) {
            this.fault = fault;
        }

        /** Counts a matching frame; true when the fault fires on it. */
        boolean hit() {
            long n = seen.incrementAndGet();
            if (n % fault.every() != 0) return false;
            return fired.incrementAndGet() <= fault.times();
        }
    }

    private final ServerSocket listen;
    private final Framing framing;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Armed> faults = new CopyOnWriteArrayList<>();
    private final AtomicLong fired = new AtomicLong();
    private volatile CompletableFuture<Void> next = new CompletableFuture<>();
    private volatile int targetPort;
    private volatile CompletableFuture<Void> admit = CompletableFuture.completedFuture(null);
    private final Map<Side, CompletableFuture<Void>> reading = new ConcurrentHashMap<>(Map.of(
            Side.CLIENT,
            CompletableFuture.completedFuture(null),
            Side.SERVER,
            CompletableFuture.completedFuture(null)));
    private volatile boolean closed;

    /** A proxy with Cairn framing to a server on loopback at {@code targetPort}. */
    public FaultProxy(int targetPort) throws IOException {
        this(targetPort, Framing.CAIRN);
    }

    public FaultProxy(int targetPort, Framing framing) throws IOException {
        this.targetPort = targetPort;
        this.framing = framing;
        listen = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "fault-proxy-accept-" + listen.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    /** The port clients connect to (on loopback). */
    public int port() {
        return listen.getLocalPort();
    }

    /** Adds a fault rule. */
    public FaultProxy inject(Fault f) {
        faults.add(new Armed(f));
        return this;
    }

    /** Removes every fault rule (cuts already made stay made). */
    public void clearFaults() {
        faults.clear();
    }

    /** Faults fired so far (cuts by {@link #cutAll()} included). */
    public long faults() {
        return fired.get();
    }

    /** Completed when the next fault fires. */
    public CompletableFuture<Void> nextFault() {
        return next;
    }

    /** Stops reading from one side of every connection (bytes back up in the peer's socket buffers). */
    public void stopReading(Side side) {
        reading.computeIfPresent(side, (s, f) -> f.isDone() ? new CompletableFuture<>() : f);
    }

    public void resumeReading(Side side) {
        reading.get(side).complete(null);
    }

    /** Closes every connection through the proxy now. */
    public void cutAll() {
        for (Socket s : sockets) closeQuietly(s);
        sockets.clear();
        fired();
    }

    /** New connections wait (accepted, not yet connected onward) until {@link #release}. */
    public void hold() {
        admit = new CompletableFuture<>();
    }

    /** Lets held and new connections through, to the server at {@code port}. */
    public void release(int port) {
        targetPort = port;
        admit.complete(null);
    }

    private void fired() {
        fired.incrementAndGet();
        signalFired();
    }

    private void signalFired() {
        CompletableFuture<Void> f = next;
        next = new CompletableFuture<>();
        f.complete(null);
    }

    private Armed match(Fault.Action action, int op) {
        for (Armed a : faults) {
            if (a.fault.action() == action && a.fault.op() == op && a.hit()) return a;
        }
        return null;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listen.accept();
                client.setTcpNoDelay(true);
                sockets.add(client);
                admit.thenRunAsync(() -> connect(client));
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    private void connect(Socket client) {
        try {
            Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            server.setTcpNoDelay(true);
            sockets.add(server);
            Link link = new Link(client, server);
            if (framing == Framing.RAW) {
                pump(
                        "fault-proxy-to-server",
                        () -> link.raw(Side.CLIENT, client.getInputStream(), server.getOutputStream()));
                pump(
                        "fault-proxy-to-client",
                        () -> link.raw(Side.SERVER, server.getInputStream(), client.getOutputStream()));
            } else {
                pump("fault-proxy-to-server", () -> link.requests(client.getInputStream(), server.getOutputStream()));
                pump("fault-proxy-to-client", () -> link.answers(server.getInputStream(), client.getOutputStream()));
            }
        } catch (IOException e) {
            closeQuietly(client); // no server there (yet): the client sees a drop and retries
        }
    }

    private interface Pump {
        void run() throws IOException;
    }

    private static void pump(String name, Pump p) {
        Thread t = new Thread(
                () -> {
                    try {
                        p.run();
                    } catch (IOException ignored) {
                        // a cut or a close: the other pump ends too
                    }
                },
                name);
        t.setDaemon(true);
        t.start();
    }

    /** One proxied connection. */
    private final class Link {
        final Socket client;
        final Socket server;
        /** Request id → op of the requests forwarded and not yet answered. */
        final Map<Integer, Integer> inFlight = new ConcurrentHashMap<>();

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void cut() {
            fired.incrementAndGet(); // counted before the cut: a client that sees it may ask faults() at once
            closeQuietly(client);
            closeQuietly(server);
            signalFired(); // and nextFault() waiters woken after it: they may expect the connection gone
        }

        void requests(InputStream in, OutputStream out) throws IOException {
            DataInputStream din = new DataInputStream(in);
            DataOutputStream dout = new DataOutputStream(out);
            try {
                while (true) {
                    awaitReading(Side.CLIENT);
                    int len = din.readInt();
                    if (len < 5) throw new IOException("malformed frame of length " + len);
                    byte[] rest = new byte[len];
                    din.readFully(rest);
                    awaitReading(Side.CLIENT); // a frame read while a stop began is held too
                    int requestId = ((rest[0] & 0xff) << 24)
                            | ((rest[1] & 0xff) << 16)
                            | ((rest[2] & 0xff) << 8)
                            | (rest[3] & 0xff);
                    int op = rest[4] & 0xff;
                    if (match(Fault.Action.CUT_BEFORE, op) != null) {
                        cut();
                        return;
                    }
                    if (match(Fault.Action.DROP, op) != null) {
                        fired();
                        continue;
                    }
                    Armed delay = match(Fault.Action.DELAY, op);
                    if (delay != null) {
                        fired();
                        pause(delay.fault.delayMillis());
                    }
                    if (requestId != 0) inFlight.put(requestId, op);
                    dout.writeInt(len);
                    dout.write(rest);
                    dout.flush();
                }
            } finally {
                closeQuietly(client);
                closeQuietly(server);
            }
        }

        void answers(InputStream in, OutputStream out) throws IOException {
            DataInputStream din = new DataInputStream(in);
            DataOutputStream dout = new DataOutputStream(out);
            try {
                while (true) {
                    awaitReading(Side.SERVER);
                    int len = din.readInt();
                    if (len < 5) throw new IOException("malformed frame of length " + len);
                    byte[] rest = new byte[len];
                    din.readFully(rest);
                    awaitReading(Side.SERVER); // a frame read while a stop began is held too
                    int requestId = ((rest[0] & 0xff) << 24)
                            | ((rest[1] & 0xff) << 16)
                            | ((rest[2] & 0xff) << 8)
                            | (rest[3] & 0xff);
                    Integer op = requestId == 0 ? null : inFlight.remove(requestId);
                    if (op != null && match(Fault.Action.CUT_BEFORE_ANSWER, op) != null) {
                        cut();
                        return;
                    }
                    dout.writeInt(len);
                    dout.write(rest);
                    dout.flush();
                    if (op != null && match(Fault.Action.CUT_AFTER_ANSWER, op) != null) {
                        cut();
                        return;
                    }
                }
            } finally {
                closeQuietly(client);
                closeQuietly(server);
            }
        }

        void raw(Side from, InputStream in, OutputStream out) throws IOException {
            byte[] buf = new byte[8192];
            try {
                while (true) {
                    awaitReading(from);
                    int n = in.read(buf);
                    if (n < 0) return;
                    awaitReading(from);
                    out.write(buf, 0, n);
                    out.flush();
                }
            } finally {
                closeQuietly(client);
                closeQuietly(server);
            }
        }
    }

    private void awaitReading(Side side) throws IOException {
        try {
            reading.get(side).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e);
        }
        if (closed) throw new IOException("proxy closed");
    }

    private static void pause(long millis) throws IOException {
        try {
            Thread.sleep(millis); // the injected delay itself
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listen.close();
        for (Side s : Side.values()) resumeReading(s);
        for (Socket s : sockets) closeQuietly(s);
        sockets.clear();
    }
}
