package org.cairndb.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cairndb.protocol.Protocol;
import org.cairndb.storage.Storage;

/**
 * Everything {@link CairnServer} needs: storages by name, where to listen, credentials and
 * limits. Storages are given either as URIs (opened and closed by the server) or as open
 * {@link Storage} objects (owned by the caller, for tests and embedding).
 */
public final class ServerConfig {
    String host;
    int port = 8100;
    final Map<String, String> storageUris = new LinkedHashMap<>();
    final Map<String, Storage> storages = new LinkedHashMap<>();
    String secret;
    String readOnlySecret;
    Path tlsKeyStore;
    Path tlsTrustStore;
    String tlsPassword = "";
    int maxFrame = Protocol.DEFAULT_MAX_FRAME;
    int maxInFlight = 256;
    Duration idleTimeout = Duration.ofMinutes(5);
    int historySize = 10_000;
    long fragmentCacheBytes = SharedFragments.DEFAULT_MAX_BYTES;
    int metricsPort = -1;
    String metricsHost;
    int ioThreads = 1;
    Boolean inlineReads;
    int outboundHighWater = 4 << 20;
    long maxOutboundBytes = 128L << 20;
    Duration writeStallTimeout = Duration.ofSeconds(10);
    Duration helloTimeout = Duration.ofSeconds(5);
    int maxConnections = 4096;
    int maxConnectionsPerAddress = 256;
    int workerThreads = 32;
    Duration voteTimeout = Duration.ofSeconds(5);
    Duration loginDelay = Duration.ofMillis(100);
    Duration maxLoginDelay = Duration.ofSeconds(5);

    public ServerConfig() {}

    /** Address to bind; default loopback when no credentials are configured, else all interfaces. */
    public ServerConfig host(String host) {
        this.host = host;
        return this;
    }
    /** 0 picks a free port ({@link CairnServer#port()} tells which). */
    public ServerConfig port(int port) {
        this.port = port;
        return this;
    }

    public ServerConfig storage(String name, String uri) {
        checkName(name);
        storageUris.put(name, uri);
        return this;
    }

    public ServerConfig storage(String name, Storage storage) {
        checkName(name);
        storages.put(name, storage);
        return this;
    }
    /** Shared secret that grants read and write. */
    public ServerConfig secret(String s) {
        this.secret = checkSecret(s, "shared secret");
        return this;
    }
    /** Shared secret that grants reading only. */
    public ServerConfig readOnlySecret(String s) {
        this.readOnlySecret = checkSecret(s, "read-only secret");
        return this;
    }

    /**
     * Refuses an empty or whitespace secret: it would turn authentication off (or grant
     * anonymous reads) while the server binds every interface, which nobody means.
     */
    private static String checkSecret(String s, String what) {
        if (s != null && s.isBlank()) {
            throw new IllegalArgumentException(
                    "the " + what + " is empty (or only whitespace): refusing to start, since an empty secret"
                            + " would let anyone in; give a real secret, or none (then the server accepts loopback clients only)");
        }
        return s;
    }
    /**
     * TLS with client certificates: the server's key (PKCS#12) and the store of certificates
     * it trusts for clients; a client without a trusted certificate is refused in the TLS
     * handshake.
     */
    public ServerConfig tls(Path keyStore, Path trustStore, String password) {
        this.tlsKeyStore = keyStore;
        this.tlsTrustStore = trustStore;
        this.tlsPassword = password == null ? "" : password;
        return this;
    }

    public ServerConfig maxFrame(int bytes) {
        this.maxFrame = bytes;
        return this;
    }

    public ServerConfig maxInFlight(int n) {
        this.maxInFlight = n;
        return this;
    }
    /** A connection that sends nothing for this long is closed; Duration.ZERO disables it. */
    public ServerConfig idleTimeout(Duration d) {
        this.idleTimeout = d;
        return this;
    }
    /** Commits whose invalidations are kept for reconnecting clients, per storage. */
    public ServerConfig historySize(int n) {
        this.historySize = n;
        return this;
    }
    /** Bytes of the shared fragment tier, per storage (memory only; default 256 MiB). */
    public ServerConfig fragmentCacheBytes(long n) {
        if (n < 1) throw new IllegalArgumentException("the shared fragment tier needs at least 1 byte: " + n);
        this.fragmentCacheBytes = n;
        return this;
    }
    /** Port for Prometheus text over HTTP ({@code GET /metrics}); -1 for none, 0 for any free port. */
    public ServerConfig metricsPort(int p) {
        this.metricsPort = p;
        return this;
    }
    /**
     * Address the metrics endpoint binds; default loopback (scrape it locally, or say where).
     * With a shared secret configured, it asks for it (HTTP Bearer, or Basic with it as password).
     */
    public ServerConfig metricsHost(String h) {
        this.metricsHost = h;
        return this;
    }

    public ServerConfig ioThreads(int n) {
        this.ioThreads = n;
        return this;
    }
    /**
     * Answer loads on the event loop (true) or on a worker (false); null (the default)
     * decides per storage: storages marked NonBlockingReads (mem:, temp:) inline.
     */
    public ServerConfig inlineReads(Boolean b) {
        this.inlineReads = b;
        return this;
    }

    /**
     * Bytes queued for a client above which the server stops reading its requests and starts
     * the write-stall clock (Netty's high water mark; the low one is half of it).
     */
    public ServerConfig outboundHighWater(int bytes) {
        this.outboundHighWater = positive(bytes, "outbound high water");
        return this;
    }
    /** Bytes queued for a client that does not read beyond which it is disconnected at once (at least max-frame + high water). */
    public ServerConfig maxOutboundBytes(long bytes) {
        this.maxOutboundBytes = positive(bytes, "max outbound bytes");
        return this;
    }
    /** A client above the high water mark that reads not one byte for this long is disconnected; ZERO disables it. */
    public ServerConfig writeStallTimeout(Duration d) {
        this.writeStallTimeout = d;
        return this;
    }

    /** A connection that has not sent HELLO (or DOORBELL) this long after connecting is closed. */
    public ServerConfig helloTimeout(Duration d) {
        this.helloTimeout = d;
        return this;
    }
    /** Connections open at once; more are refused with a LIMIT error. */
    public ServerConfig maxConnections(int n) {
        this.maxConnections = positive(n, "max connections");
        return this;
    }
    /** Connections open at once from one remote address (a client uses two: main and doorbell). */
    public ServerConfig maxConnectionsPerAddress(int n) {
        this.maxConnectionsPerAddress = positive(n, "max connections per address");
        return this;
    }
    /**
     * Threads that answer requests needing the storage outside a transaction (loads on storages
     * whose reads may block, iteration, history, views, oids, pack...). A client whose request
     * waits for a thread is read no more until it gets one.
     */
    public ServerConfig workerThreads(int n) {
        this.workerThreads = positive(n, "worker threads");
        return this;
    }

    /**
     * A transaction that has voted (and so may hold the commit lock) and gets no FINISH or
     * ABORT within this is aborted by the server, releasing the lock; ZERO disables it.
     */
    public ServerConfig voteTimeout(Duration d) {
        this.voteTimeout = d;
        return this;
    }

    /**
     * After k failed logins in a row from one address, its next login is judged no sooner than
     * {@code min(max, base * 2^(k-1))} later (see LoginThrottle); ZERO base turns it off.
     */
    public ServerConfig loginDelay(Duration base, Duration max) {
        this.loginDelay = base;
        this.maxLoginDelay = max;
        return this;
    }

    /** The byte bound in force: never below one largest frame on top of the high water mark. */
    long effectiveMaxOutbound() {
        return Math.max(maxOutboundBytes, (long) maxFrame + outboundHighWater);
    }

    private static <N extends Number> N positive(N n, String what) {
        if (n.longValue() <= 0) throw new IllegalArgumentException(what + " must be positive, got " + n);
        return n;
    }

    boolean hasCredentials() {
        return secret != null || readOnlySecret != null || tlsKeyStore != null;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || !name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException(
                    "storage name '" + name + "' is not valid (expected letters, digits, '_', '.', '-')");
        }
        if (storageUris.containsKey(name) || storages.containsKey(name)) {
            throw new IllegalArgumentException("storage name '" + name + "' is given twice");
        }
    }
}
