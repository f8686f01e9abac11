package org.cairndb.postgres;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.StorageException;

/**
 * Turns JDBC errors into Cairn's: a lost connection, a server restarting or shutting down,
 * too many connections, a deadlock or serialization failure are {@link RetryableException}s
 * (running the transaction again may work, and the storage recovers on its own); anything
 * else is a {@link StorageException} naming the storage and what it was doing. The message
 * speaks of the step that failed only (a load, a view's sync, a vote): whether a transaction
 * committed is said by the commit path itself (PgTransaction, PgLog), never here, since a
 * sync that fails right after a commit would otherwise deny a commit that happened.
 */
final class PgErrors {
    private PgErrors() {}

    static boolean isConnectionLoss(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) return true;
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state != null
                        && (state.startsWith("08")
                                || state.equals("57P01")
                                || state.equals("57P02")
                                || state.equals("57P03")
                                || state.equals("53300"))) return true;
            }
            if (t instanceof java.io.IOException) return true;
            // HikariCP's stand-in for a connection it closed after a break: no SQLState.
            if (t instanceof SQLException s && s.getSQLState() == null && "Connection is closed".equals(s.getMessage()))
                return true;
        }
        return false;
    }

    static boolean isRetryable(SQLException e) {
        if (isConnectionLoss(e)) return true;
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state) || "55P03".equals(state);
    }

    /** The Cairn error for {@code e}, raised while {@code doing} on storage {@code name}. */
    static StorageException translate(String name, String doing, SQLException e) {
        if (e instanceof SQLTransientConnectionException
                && e.getMessage() != null
                && e.getMessage().contains("request timed out")) {
            return new RetryableException(
                    "storage '" + name + "': no pooled connection to PostgreSQL became free or could be"
                            + " opened while " + doing + " (" + e.getMessage()
                            + "); if PostgreSQL is up, the pool is too small for this"
                            + " many concurrent transactions: raise pool= in the URI (and PostgreSQL's max_connections)",
                    e);
        }
        if (isConnectionLoss(e)) {
            return new RetryableException(
                    "storage '" + name + "': lost the connection to PostgreSQL while " + doing
                            + " (" + e.getMessage() + "); that did not complete. Retry: the storage"
                            + " reconnects on its own once PostgreSQL is back.",
                    e);
        }
        if (isRetryable(e)) {
            return new RetryableException(
                    "storage '" + name + "': PostgreSQL aborted " + doing + " (" + e.getSQLState() + ": "
                            + e.getMessage() + "); retry the transaction",
                    e);
        }
        return new StorageException(
                "storage '" + name + "': " + doing + " failed: " + e.getMessage() + " (SQLSTATE " + e.getSQLState()
                        + ")",
                e);
    }
}
