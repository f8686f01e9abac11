package org.cairndb.server.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn serve --port 8100 --storage main=mem:/var/cairn/main.cairn --storage temp=temp:}
 * Runs until interrupted (Ctrl-C, SIGTERM); then disconnects the clients and closes the storages.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Serves storages to cairn:// clients.")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", description = "TCP port (default 8100; 0 picks a free one)", defaultValue = "8100")
    int port;

    @Option(
            names = "--host",
            description = "Address to bind (default: loopback without credentials, all interfaces with them)")
    String host;

    @Option(
            names = "--storage",
            required = true,
            description = "name=URI, e.g. main=mem:/var/cairn/main.cairn (repeatable)")
    Map<String, String> storages = new LinkedHashMap<>();

    @Option(names = "--secret-file", description = "File holding the shared secret that grants read and write")
    Path secretFile;

    @Option(names = "--read-only-secret-file", description = "File holding the shared secret that grants reading only")
    Path readOnlySecretFile;

    @Option(
            names = "--secret",
            description = "Shared secret (prefer --secret-file: a command line is visible to other users)")
    String secret;

    @Option(names = "--tls-keystore", description = "PKCS#12 key store with the server's key and certificate")
    Path tlsKeyStore;

    @Option(
            names = "--tls-truststore",
            description = "PKCS#12 store of the client certificates to trust (required with TLS)")
    Path tlsTrustStore;

    @Option(
            names = "--tls-password",
            description = "Password of both stores (prefer --tls-password-file or --tls-password-env)")
    String tlsPassword;

    @Option(names = "--tls-password-file", description = "File holding the password of both stores")
    Path tlsPasswordFile;

    @Option(names = "--tls-password-env", description = "Environment variable holding the password of both stores")
    String tlsPasswordEnv;

    @Option(
            names = "--secret-env",
            description = "Environment variable holding the shared secret that grants read and write")
    String secretEnv;

    @Option(
            names = "--read-only-secret-env",
            description = "Environment variable holding the shared secret that grants reading only")
    String readOnlySecretEnv;

    @Option(names = "--metrics-host", description = "Address the metrics endpoint binds (default loopback)")
    String metricsHost;

    @Option(
            names = "--max-frame",
            description = "Largest frame accepted, bytes (default 64 MiB)",
            defaultValue = "67108864")
    int maxFrame;

    @Option(
            names = "--max-in-flight",
            description = "Requests of one client queued or running before it is read no more",
            defaultValue = "256")
    int maxInFlight;

    @Option(
            names = "--idle-timeout",
            description = "Seconds a silent connection is kept (0: forever)",
            defaultValue = "300")
    long idleSeconds;

    @Option(
            names = "--outbound-high-water",
            description = "Bytes queued for a client above which its requests are read no more"
                    + " until it reads its answers (default 4 MiB)",
            defaultValue = "4194304")
    int outboundHighWater;

    @Option(
            names = "--max-outbound-bytes",
            description = "Bytes queued for a client that does not read beyond which it is"
                    + " disconnected (default 128 MiB; never below max-frame + high water)",
            defaultValue = "134217728")
    long maxOutboundBytes;

    @Option(
            names = "--write-stall-timeout",
            description = "Seconds a client above the high water mark may read nothing before it"
                    + " is disconnected (default 10; 0: never)",
            defaultValue = "10")
    long writeStallSeconds;

    @Option(
            names = "--hello-timeout",
            description = "Seconds a new connection has to send HELLO (default 5)",
            defaultValue = "5")
    long helloSeconds;

    @Option(names = "--max-connections", description = "Connections open at once (default 4096)", defaultValue = "4096")
    int maxConnections;

    @Option(
            names = "--max-connections-per-address",
            description = "Connections open at once from one address (default 256;" + " a client uses two)",
            defaultValue = "256")
    int maxConnectionsPerAddress;

    @Option(
            names = "--worker-threads",
            description = "Threads answering loads and other storage requests (default 32)",
            defaultValue = "32")
    int workerThreads;

    @Option(
            names = "--vote-timeout",
            description = "Seconds a voted transaction may wait for FINISH before the server aborts it"
                    + " and releases the commit lock (default 5; 0: never)",
            defaultValue = "5")
    long voteSeconds;

    @Option(
            names = "--history",
            description = "Commits kept per storage for reconnecting clients",
            defaultValue = "10000")
    int history;

    @Option(
            names = "--fragment-cache-mb",
            description = "Memory of the shared fragment tier per storage, in MiB (default ${DEFAULT-VALUE})",
            defaultValue = "256")
    long fragmentCacheMb;

    @Option(
            names = "--metrics-port",
            description = "Serve Prometheus text on http://host:PORT/metrics",
            defaultValue = "-1")
    int metricsPort;

    @Option(
            names = "--inline-reads",
            description = "auto (default: in-memory storages answer loads on the event loop), true or false")
    String inlineReads = "auto";

    @Override
    public Integer call() throws Exception {
        ServerConfig c = new ServerConfig()
                .port(port)
                .host(host)
                .maxFrame(maxFrame)
                .maxInFlight(maxInFlight)
                .idleTimeout(Duration.ofSeconds(idleSeconds))
                .historySize(history)
                .fragmentCacheBytes(fragmentCacheMb << 20)
                .metricsPort(metricsPort)
                .outboundHighWater(outboundHighWater)
                .maxOutboundBytes(maxOutboundBytes)
                .writeStallTimeout(Duration.ofSeconds(writeStallSeconds))
                .helloTimeout(Duration.ofSeconds(helloSeconds))
                .maxConnections(maxConnections)
                .maxConnectionsPerAddress(maxConnectionsPerAddress)
                .workerThreads(workerThreads)
                .voteTimeout(Duration.ofSeconds(voteSeconds));
        storages.forEach(c::storage);
        switch (inlineReads) {
            case "auto" -> c.inlineReads(null);
            case "true", "false" -> c.inlineReads(Boolean.parseBoolean(inlineReads));
            default -> {
                System.err.println("cairn serve: --inline-reads=" + inlineReads + " (expected auto, true or false)");
                return 2;
            }
        }
        if (metricsHost != null) c.metricsHost(metricsHost);
        CairnServer server;
        try {
            c.secret(SecretOptions.one(
                    "the shared secret", secret, "--secret", secretFile, "--secret-file", secretEnv, "--secret-env"));
            c.readOnlySecret(SecretOptions.one(
                    "the read-only secret",
                    null,
                    null,
                    readOnlySecretFile,
                    "--read-only-secret-file",
                    readOnlySecretEnv,
                    "--read-only-secret-env"));
            String tlsPw = SecretOptions.one(
                    "the TLS password",
                    tlsPassword,
                    "--tls-password",
                    tlsPasswordFile,
                    "--tls-password-file",
                    tlsPasswordEnv,
                    "--tls-password-env");
            if (tlsKeyStore != null || tlsTrustStore != null) c.tls(tlsKeyStore, tlsTrustStore, tlsPw);
            server = CairnServer.start(c);
        } catch (IllegalArgumentException e) {
            System.err.println("cairn serve: " + e.getMessage());
            return 2;
        }
        System.out.println(server.startMessage());
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "cairn-server-shutdown"));
        stopped.await();
        return 0;
    }
}
