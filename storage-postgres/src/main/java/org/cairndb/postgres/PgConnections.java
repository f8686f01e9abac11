package org.cairndb.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.cairndb.storage.StorageException;

/**
 * The connection manager: a HikariCP pool of connections to one database, and the error
 * messages for the ways opening one goes wrong (wrong password, missing database, nobody
 * listening), each saying what to fix.
 *
 * <p>Connections that broke (PostgreSQL restarted) are found dead by the pool on their next
 * borrow and replaced; the operation that met the break got a RetryableException. So the
 * storage recovers without anyone restarting it.
 */
final class PgConnections implements AutoCloseable {
    private final PgConfig config;
    private final HikariDataSource pool;
    /**
     * Views hold a connection for as long as they are open (their snapshot is a database
     * transaction); they get a pool of their own so that open views can never take the last
     * connection a commit needs.
     */
    private final HikariDataSource viewPool;

    PgConnections(PgConfig config) {
        this.config = config;
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("cairn-" + config.database() + "-" + config.schema());
        hc.setJdbcUrl(config.jdbcUrl());
        hc.setUsername(config.user());
        if (config.password() != null) hc.setPassword(config.password());
        hc.setMaximumPoolSize(config.poolSize());
        hc.setMinimumIdle(1);
        // Deadlines that fail a request when PostgreSQL is unreachable; never a way to wake anyone.
        hc.setConnectionTimeout(10_000);
        hc.setValidationTimeout(3_000);
        hc.setInitializationFailTimeout(1);
        hc.setDataSourceProperties(driverProperties());
        try {
            this.pool = new HikariDataSource(hc);
        } catch (HikariPool.PoolInitializationException e) {
            throw openFailure(config, e.getCause() instanceof SQLException s ? s : null, e);
        }
        HikariConfig vc = new HikariConfig();
        hc.copyStateTo(vc);
        vc.setPoolName(hc.getPoolName() + "-views");
        vc.setMaximumPoolSize(Math.max(32, config.poolSize() * 4));
        vc.setMinimumIdle(0);
        vc.setInitializationFailTimeout(-1);
        this.viewPool = new HikariDataSource(vc);
    }

    Connection forView() throws SQLException {
        return viewPool.getConnection();
    }

    Properties driverProperties() {
        Properties p = new Properties();
        p.setProperty("reWriteBatchedInserts", "true");
        p.setProperty("ApplicationName", "cairn");
        p.setProperty("tcpKeepAlive", "true");
        // DURABLE is a promise: COMMIT returns only once the commit is on disk, whatever the
        // server's default (a DBA may have turned synchronous_commit off for other users).
        p.setProperty("options", "-c synchronous_commit=on");
        return p;
    }

    /** A connection outside the pool (the LISTEN connection), with the same settings. */
    Connection unpooled() throws SQLException {
        Properties p = driverProperties();
        p.setProperty("user", config.user());
        if (config.password() != null) p.setProperty("password", config.password());
        return DriverManager.getConnection(config.jdbcUrl(), p);
    }

    Connection get() throws SQLException {
        return pool.getConnection();
    }

    PgConfig config() {
        return config;
    }

    /** Closes {@code c} for good instead of returning it to its pool (it may hold a session lock it could not release). */
    void evict(Connection c, boolean ofView) {
        (ofView ? viewPool : pool).evictConnection(c);
    }

    static StorageException openFailure(PgConfig c, SQLException e, Throwable cause) {
        String state = e == null ? null : e.getSQLState();
        String msg = e == null ? String.valueOf(cause.getMessage()) : e.getMessage();
        String what;
        if ("28P01".equals(state) || "28000".equals(state)) {
            what = "PostgreSQL refused the login of user '" + c.user() + "' (" + msg + "): check the user name and"
                    + " password in the URI (postgres://user:password@host:port/db)";
        } else if (c.password() == null && msg != null && msg.contains("no password was provided")) {
            what = "PostgreSQL asks user '" + c.user() + "' for a password, and the URI has none: put it in the URI"
                    + " (postgres://user:password@host:port/db)";
        } else if ("3D000".equals(state)) {
            what = "database '" + c.database() + "' does not exist on " + c.host() + ":" + c.port()
                    + ": create it (CREATE DATABASE " + c.database() + ") or fix the database name in the URI";
        } else if (state != null && state.startsWith("08")) {
            what = "cannot reach PostgreSQL at " + c.host() + ":" + c.port() + " (" + msg + "): is it running, and"
                    + " are host and port in the URI right?";
        } else {
            what = "cannot connect to " + c.where() + ": " + msg + (state == null ? "" : " (SQLSTATE " + state + ")");
        }
        return new StorageException("storage '" + c.name() + "': " + what, cause);
    }

    @Override
    public void close() {
        viewPool.close();
        pool.close();
    }
}
