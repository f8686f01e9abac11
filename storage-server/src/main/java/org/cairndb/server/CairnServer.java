package org.cairndb.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.cairndb.protocol.Protocol;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageException;
import org.cairndb.storage.spi.NonBlockingReads;
import org.cairndb.storage.uri.Storages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Cairn server: serves named storages to {@code cairn://} clients over Netty.
 *
 * <pre>
 *   CairnServer server = CairnServer.start(new ServerConfig().port(8100).storage("main", "mem:"));
 *   ...
 *   server.close();
 * </pre>
 *
 * <h2>Threads</h2>
 * One event loop group (native epoll where available) accepts and serves connections; it
 * never calls a storage that may block (loads of storages marked NonBlockingReads excepted).
 * Two pools run storage calls:
 * <ul>
 * <li>{@link #workers}, bounded ({@code --worker-threads}) with a queue: loads, iteration,
 *     views, oids, pack... A client whose request has to queue for a worker is read no more
 *     until it starts (back-pressure through TCP, see {@code Session.work}), so a few clients
 *     pipelining loads cannot make the server start hundreds of threads.</li>
 * <li>{@link #txnWorkers}, cached: the ops of transactions, each transaction's in order. A
 *     vote may block on the storage (row locks of a multi-writer storage) until another
 *     transaction finishes; were those on one bounded pool, blocked votes could take every
 *     thread and the finish that would free them could never run. Its threads are bounded by
 *     the connection limits times {@code --max-in-flight}, and single-writer storages queue
 *     votes without a thread (CommitQueue).</li>
 * </ul>
 *
 * <h2>Credentials</h2>
 * With no secret and no TLS configured the server binds loopback only, says so at start,
 * and refuses any non-loopback peer. Empty secrets are refused at start (ServerConfig). The
 * metrics endpoint binds loopback unless told otherwise and asks for the shared secret
 * (MetricsHttpServer). Failed logins are throttled per address (LoginThrottle); connections
 * are capped in total and per address (ConnectionLimits).
 */
public final class CairnServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CairnServer.class);

    final ServerConfig config;
    final ServerStats stats = new ServerStats();
    final ThreadPoolExecutor workers;
    final ExecutorService txnWorkers;
    final ConnectionLimits limits;
    final LoginThrottle throttle;
    private final Map<String, ServedStorage> storages = new LinkedHashMap<>();
    /** Doorbells opened by live connections, by token (see {@link Doorbell}). */
    final Map<Doorbell.Token, Doorbell> doorbells = new java.util.concurrent.ConcurrentHashMap<>();

    private final EventLoopGroup group;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel serverChannel;
    private final MetricsHttpServer metrics;
    private final String bindDescription;
    final long startedAtMillis = System.currentTimeMillis();

    private CairnServer(ServerConfig config) throws InterruptedException {
        this.config = config;
        if (config.storageUris.isEmpty() && config.storages.isEmpty()) {
            throw new IllegalArgumentException("no storage to serve; give at least one, e.g. --storage main=mem:");
        }
        String host = bindHost(config);
        SslContext ssl = config.tlsKeyStore == null
                ? null
                : ServerTls.context(config.tlsKeyStore, config.tlsTrustStore, config.tlsPassword);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                config.workerThreads,
                config.workerThreads,
                60,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                Transports.daemonThreads("cairn-worker"));
        pool.allowCoreThreadTimeOut(true);
        this.workers = pool;
        this.txnWorkers = new ThreadPoolExecutor(
                0,
                Integer.MAX_VALUE,
                60,
                TimeUnit.SECONDS,
                new SynchronousQueue<>(),
                Transports.daemonThreads("cairn-txn"));
        this.limits = new ConnectionLimits(config.maxConnections, config.maxConnectionsPerAddress);
        this.throttle =
                new LoginThrottle(config.loginDelay.toNanos(), config.maxLoginDelay.toNanos(), System::nanoTime);
        try {
            for (Map.Entry<String, Storage> e : config.storages.entrySet()) {
                storages.put(
                        e.getKey(),
                        new ServedStorage(
                                e.getKey(),
                                e.getValue(),
                                false,
                                config.historySize,
                                stats,
                                inlineReads(config, e.getValue(), null),
                                config.fragmentCacheBytes));
            }
            for (Map.Entry<String, String> e : config.storageUris.entrySet()) {
                Storage s;
                try {
                    s = Storages.open(e.getValue());
                } catch (RuntimeException ex) {
                    throw new StorageException(
                            "cannot open storage '" + e.getKey() + "' from " + e.getValue() + ": " + ex.getMessage(),
                            ex);
                }
                storages.put(
                        e.getKey(),
                        new ServedStorage(
                                e.getKey(),
                                s,
                                true,
                                config.historySize,
                                stats,
                                inlineReads(config, s, e.getValue()),
                                config.fragmentCacheBytes));
            }
        } catch (RuntimeException e) {
            storages.values().forEach(ServedStorage::close);
            workers.shutdownNow();
            txnWorkers.shutdownNow();
            throw e;
        }
        this.group = Transports.group(Math.max(1, config.ioThreads), "cairn-server-io");
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(Transports.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(
                        ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.outboundHighWater / 2, config.outboundHighWater))
                .childOption(ChannelOption.MESSAGE_SIZE_ESTIMATOR, OutboundGuard.SIZES)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        ChannelPipeline p = ch.pipeline();
                        p.addLast(
                                "outbound",
                                new OutboundGuard(
                                        stats, config.effectiveMaxOutbound(), config.writeStallTimeout.toMillis()));
                        if (ssl != null) {
                            p.addLast("plain-check", new PlainOnTlsPort());
                            p.addLast("tls", ssl.newHandler(ch.alloc()));
                        }
                        long idle = config.idleTimeout.toMillis();
                        if (idle > 0) p.addLast("idle", new IdleStateHandler(idle, 0, 0, TimeUnit.MILLISECONDS));
                        p.addLast("decoder", new FrameDecoder(config.maxFrame, Protocol.MAX_HANDSHAKE_FRAME));
                        p.addLast("encoder", FrameEncoder.INSTANCE);
                        p.addLast("doorbell", new Doorbell(CairnServer.this));
                        p.addLast("session", new Session(CairnServer.this));
                    }
                });
        try {
            this.serverChannel = b.bind(host, config.port).sync().channel();
        } catch (Exception e) {
            closeQuietly();
            throw new StorageException(
                    "cannot listen on " + host + ":" + config.port + ": " + e.getMessage()
                            + " (is another server running there? choose another --port)",
                    e);
        }
        this.bindDescription = host + ":" + port();
        String metricsHost = config.metricsHost != null
                ? config.metricsHost
                : InetAddress.getLoopbackAddress().getHostAddress();
        this.metrics =
                config.metricsPort >= 0 ? new MetricsHttpServer(this, metricsHost, config.metricsPort, group) : null;
    }

    /**
     * Opens the storages and starts listening. Whoever started the server says so: the CLI
     * prints {@link #startMessage()} on standard output (once); here it is logged at debug.
     */
    public static CairnServer start(ServerConfig config) {
        try {
            CairnServer s = new CairnServer(config);
            log.debug(s.startMessage());
            return s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while starting the server", e);
        }
    }

    /** What the server says when it starts: where it listens, what it serves, who may connect (secrets masked). */
    public String startMessage() {
        StringBuilder sb = new StringBuilder("cairn server listening on ")
                .append(bindDescription)
                .append(" (")
                .append(Transports.name())
                .append("), serving ");
        List<String> parts = new ArrayList<>();
        storages.forEach((n, s) -> parts.add(n + "=" + org.cairndb.storage.uri.Secrets.mask(s.storage.name())));
        sb.append(String.join(", ", parts));
        if (metrics != null)
            sb.append("; Prometheus metrics on http://")
                    .append(metrics.address())
                    .append("/metrics");
        if (!config.hasCredentials()) {
            sb.append(". NO CREDENTIALS CONFIGURED: accepting connections from loopback only"
                    + " (use --secret or --tls-keystore/--tls-truststore to accept remote clients)");
        } else {
            List<String> auth = new ArrayList<>();
            if (config.secret != null) auth.add("shared secret");
            if (config.readOnlySecret != null) auth.add("read-only secret");
            if (config.tlsKeyStore != null) auth.add("TLS with client certificates");
            sb.append(". Authentication: ").append(String.join(", ", auth));
        }
        return sb.toString();
    }

    /**
     * Whether loads run on the event loop: as configured, else for storages that declare
     * {@link NonBlockingReads} (mem: and temp:, whose reads are map lookups).
     */
    static boolean inlineReads(ServerConfig c, Storage s, String uri) {
        if (c.inlineReads != null) return c.inlineReads;
        return s instanceof NonBlockingReads;
    }

    private static String bindHost(ServerConfig c) {
        String host = c.host;
        if (!c.hasCredentials()) {
            if (host == null) return InetAddress.getLoopbackAddress().getHostAddress();
            try {
                if (!InetAddress.getByName(host).isLoopbackAddress()) {
                    throw new IllegalArgumentException(
                            "refusing to listen on " + host + " without credentials: with no --secret and no TLS"
                                    + " the server accepts loopback clients only; configure --secret or TLS, or bind 127.0.0.1");
                }
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("unknown host '" + host + "' to listen on", e);
            }
            return host;
        }
        return host == null ? "0.0.0.0" : host;
    }

    /** The port listened on (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The metrics HTTP port, or -1. */
    public int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    /** null: refused; TRUE: may write; FALSE: read-only. */
    Boolean authenticate(String secret) {
        boolean secrets = config.secret != null || config.readOnlySecret != null;
        if (!secrets)
            return Boolean.TRUE; // loopback-only or TLS client certificate already checked by the TLS handshake
        if (Session.constantTimeEquals(secret, config.secret)) return Boolean.TRUE;
        if (Session.constantTimeEquals(secret, config.readOnlySecret)) return Boolean.FALSE;
        return null;
    }

    ServedStorage served(String name) {
        return storages.get(name);
    }

    Map<String, ServedStorage> storages() {
        return storages;
    }

    String storageNames() {
        return String.join(", ", storages.keySet());
    }

    void sessionClosed(Session s) {
        // nothing more to do: the channel group drops closed channels itself
    }

    /** Stops listening, disconnects every client (their transactions are aborted), closes the storages it opened. */
    @Override
    public void close() {
        closeQuietly();
        log.info("cairn server on {} stopped", bindDescription);
    }

    private void closeQuietly() {
        if (serverChannel != null) serverChannel.close().syncUninterruptibly();
        if (metrics != null) metrics.close();
        channels.close().syncUninterruptibly();
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        // transactions aborted by the disconnects run on the workers: let them finish, then close storages
        workers.shutdown();
        txnWorkers.shutdown();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
            txnWorkers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        storages.values().forEach(ServedStorage::close);
    }
}
