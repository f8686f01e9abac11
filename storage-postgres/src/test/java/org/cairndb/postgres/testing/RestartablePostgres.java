package org.cairndb.postgres.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * An embedded PostgreSQL of one test's own, which the test may stop and start again on the
 * same data directory and port, to show what a PostgreSQL restart under load does.
 * {@link #stop()} is a fast shutdown ({@code pg_ctl stop -m fast}): sessions are cut, committed
 * transactions stay.
 */
public final class RestartablePostgres implements AutoCloseable {
    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres pg;

    RestartablePostgres(Path dataDir) {
        this.dataDir = dataDir;
        this.port = freePort();
        start();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for a restartable PostgreSQL", e);
        }
    }

    public synchronized void start() {
        if (pg != null) return;
        try {
            pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("max_connections", "200")
                    .setDataDirectoryCustomizer(TestPostgres::writeHba)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL on " + dataDir + " port " + port, e);
        }
    }

    public synchronized void stop() {
        if (pg == null) return;
        try {
            pg.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop PostgreSQL on port " + port, e);
        } finally {
            pg = null;
        }
    }

    public int port() {
        return port;
    }

    /** A {@code postgres://} URI of database {@code postgres} of this server. */
    public String uri(String query) {
        return "postgres://postgres@localhost:" + port + "/postgres"
                + (query == null || query.isEmpty() ? "" : "?" + query);
    }

    @Override
    public void close() {
        stop();
    }
}
