package org.cairndb.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * LISTENs on the schema's channel and runs {@code onCommit} as soon as a NOTIFY arrives
 * (every commit NOTIFYs inside its transaction, so the notification is sent when, and only
 * if, it commits).
 *
 * <h2>Concurrency</h2>
 * One daemon thread per storage, blocked in pgjdbc's {@code getNotifications(0)}, which reads
 * the socket until a notification comes: a wake-up by the event, not by a polling timer.
 * (pgjdbc then probes the socket once more with a 1 ms timeout for further messages, which
 * adds about a millisecond; docs/bench/postgres.md has the measurement against a raw socket
 * reader.) {@link #close} closes the connection under the thread, which ends its read.
 *
 * <h2>Reconnecting</h2>
 * If the connection breaks (PostgreSQL restarted), the thread reconnects; attempts are spaced
 * by a scheduled delay. That delay is no request's wait: nobody's transaction waits on this
 * thread, and after reconnecting it runs {@code onCommit} once so the commits it missed
 * while away are read from the log.
 */
final class PgNotifier {
    private static final System.Logger LOG = System.getLogger(PgNotifier.class.getName());
    private final PostgresStorage s;
    private final Runnable onCommit;
    private final ScheduledExecutorService retry;
    private volatile boolean closed;
    private volatile Connection conn;
    private final Thread thread;

    PgNotifier(PostgresStorage s, Runnable onCommit) {
        this.s = s;
        this.onCommit = onCommit;
        this.retry = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-pg-listen-retry");
            t.setDaemon(true);
            return t;
        });
        this.thread = new Thread(this::run, "cairn-pg-listen-" + s.config().schema());
        thread.setDaemon(true);
        listen(); // the first LISTEN before add() returns, so no commit after it is missed
        thread.start();
    }

    private boolean listen() {
        try {
            Connection c = s.cx().unpooled();
            try (Statement st = c.createStatement()) {
                st.execute("LISTEN " + Sql.quote(PgKeys.channel(s.config().schema())));
            }
            conn = c;
            return true;
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.DEBUG, "LISTEN on storage '" + s.name() + "' failed; will retry", e);
            return false;
        }
    }

    private void run() {
        while (!closed) {
            Connection c = conn;
            if (c == null) {
                if (!reconnect()) return;
                continue;
            }
            try {
                PGNotification[] ns = c.unwrap(PGConnection.class).getNotifications(0);
                if (ns != null && ns.length > 0) onCommit.run();
            } catch (SQLException | RuntimeException e) {
                if (closed) return;
                closeQuietly(c);
                conn = null;
            }
        }
    }

    /** Waits for the next scheduled attempt to succeed; false if closed meanwhile. */
    private boolean reconnect() {
        while (!closed) {
            var attempt = retry.schedule(this::listen, 250, TimeUnit.MILLISECONDS);
            try {
                if (attempt.get()) {
                    onCommit.run(); // catch up on what was committed while we were away
                    return true;
                }
            } catch (InterruptedException e) {
                return false;
            } catch (Exception e) {
                // listen() reports failure by returning false; anything else: try again
            }
        }
        return false;
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // already broken
        }
    }

    void close() {
        closed = true;
        Connection c = conn;
        if (c != null) closeQuietly(c);
        retry.shutdownNow();
        thread.interrupt();
    }
}
