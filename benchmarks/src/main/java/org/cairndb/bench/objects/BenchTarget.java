package org.cairndb.bench.objects;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;

/**
 * What an object-layer benchmark runs against, from its {@code --uri} and {@code --serve}:
 * <ul>
 * <li>a host named {@code embedded} in a {@code postgres://} URI
 *     ({@code postgres://embedded/postgres?history=free}) starts an embedded PostgreSQL 15
 *     (fsync on) for the run, as {@code pg-writers} does without {@code --uri};</li>
 * <li>{@code --serve} starts a Cairn server in this JVM on a free loopback port serving that
 *     storage, and the benchmark goes through {@code cairn://} to it (client and server then
 *     share the machine's cores, as they do with {@code cairn serve} on the same host).</li>
 * </ul>
 * Closing stops what was started, server first.
 */
public final class BenchTarget implements AutoCloseable {
    private static final String EMBEDDED = "postgres://embedded/";
    private final EmbeddedPostgres embedded;
    private final CairnServer server;
    private final String uri;
    private final String label;

    private BenchTarget(EmbeddedPostgres embedded, CairnServer server, String uri, String label) {
        this.embedded = embedded;
        this.server = server;
        this.uri = uri;
        this.label = label;
    }

    public static BenchTarget open(String uri, boolean serve) {
        EmbeddedPostgres pg = null;
        String backing = uri;
        if (uri.startsWith(EMBEDDED)) {
            System.out.println("starting an embedded PostgreSQL 15 (fsync on)...");
            try {
                // io.zonky starts its server with -F (fsync off): durable numbers need fsync set on
                pg = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "200")
                        .setServerConfig("fsync", "on")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot start an embedded PostgreSQL for " + uri + ": " + e.getMessage(), e);
            }
            backing = "postgres://postgres@localhost:" + pg.getPort() + "/" + uri.substring(EMBEDDED.length());
        }
        if (!serve) return new BenchTarget(pg, null, backing, uri);
        try {
            CairnServer s = CairnServer.start(
                    new ServerConfig().host("127.0.0.1").port(0).storage("main", backing));
            return new BenchTarget(pg, s, "cairn://127.0.0.1:" + s.port() + "/main", "cairn://(" + uri + ")");
        } catch (RuntimeException e) {
            closeQuietly(pg);
            throw e;
        }
    }

    /** The URI the benchmark opens. */
    public String uri() {
        return uri;
    }

    /** How RESULT lines name the target: the URI given, wrapped in cairn://(...) when served. */
    public String label() {
        return label;
    }

    @Override
    public void close() {
        if (server != null) server.close();
        closeQuietly(embedded);
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        if (pg == null) return;
        try {
            pg.close();
        } catch (IOException e) {
            System.err.println("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
        }
    }
}
