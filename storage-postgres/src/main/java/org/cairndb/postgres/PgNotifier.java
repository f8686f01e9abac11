package org.cairndb.postgres;

import java.io.IOException;
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
 * <h2>Which client</h2>
 * By default a {@link PgWireListener} on a plain socket, blocked in {@code read()}: it wakes
 * the moment the notification arrives. pgjdbc's {@code getNotifications(0)} also blocks on
 * the socket, but after each message it probes for more with a 1 ms read timeout, which adds
 * about a millisecond to every wake-up (measured in docs/benchmarks.md, "LISTEN/NOTIFY wake-up"). pgjdbc is the
 * fallback when the socket client cannot connect (TLS required, an authentication method it
 * does not speak); {@code -Dcairn.pg.listen=pgjdbc} forces it (the benchmark compares both).
 *
 * <h2>Concurrency</h2>
 * One daemon thread per storage. {@link #close} closes the connection under the thread,
 * which ends its read.
 *
 * <h2>Reconnecting</h2>
 * If the connection breaks (PostgreSQL restarted), the thread reconnects; attempts are spaced
 * by a scheduled delay. That delay is no request's wait: nobody's transaction waits on this
 * thread, and after reconnecting it runs {@code onCommit} once so the commits it missed
 * while away are read from the log.
 */
final class PgNotifier {
    private static final System.Logger LOG = System.getLogger(PgNotifier.class.getName());

    /** A LISTENing connection of either kind. */
    private interface Source extends AutoCloseable {
        /** Blocks until at least one notification arrived. */
        void await() throws Exception;

        @Override
        void close();
    }

    private final PostgresStorage s;
    private final Runnable onCommit;
    private final ScheduledExecutorService retry;
    private final boolean forcePgjdbc = "pgjdbc".equals(System.getProperty("cairn.pg.listen"));
    private volatile boolean closed;
    private volatile Source source;
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

    /** Which client listens now: "socket" or "pgjdbc" (for the benchmark's report). */
    String client() {
        Source src = source;
        return src instanceof JdbcSource ? "pgjdbc" : src == null ? "none" : "socket";
    }

    private boolean listen() {
        String channel = PgKeys.channel(s.config().schema());
        if (!forcePgjdbc) {
            try {
                PgWireListener w = new PgWireListener(s.config(), channel);
                source = new Source() {
                    public void await() throws IOException {
                        w.await();
                    }

                    public void close() {
                        try {
                            w.close();
                        } catch (IOException ignored) {
                            /* closing anyway */
                        }
                    }
                };
                return true;
            } catch (IOException e) {
                LOG.log(
                        System.Logger.Level.DEBUG,
                        "socket LISTEN on storage '" + s.name() + "' failed; trying pgjdbc",
                        e);
            }
        }
        try {
            Connection c = s.cx().unpooled();
            try (Statement st = c.createStatement()) {
                st.execute("LISTEN " + Sql.quote(channel));
            }
            source = new JdbcSource(c);
            return true;
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.DEBUG, "LISTEN on storage '" + s.name() + "' failed; will retry", e);
            return false;
        }
    }

    private static final class JdbcSource implements Source {
        private final Connection c;

        JdbcSource(Connection c) {
            this.c = c;
        }

        @Override
        public void await() throws SQLException {
            PGNotification[] ns;
            do {
                ns = c.unwrap(PGConnection.class).getNotifications(0); // 0: block until one arrives
            } while (ns == null || ns.length == 0);
        }

        @Override
        public void close() {
            try {
                c.close();
            } catch (SQLException ignored) {
                /* already broken */
            }
        }
    }

    private void run() {
        while (!closed) {
            Source src = source;
            if (src == null) {
                if (!reconnect()) return;
                continue;
            }
            try {
                src.await();
                onCommit.run();
            } catch (Exception e) {
                if (closed) return;
                src.close();
                source = null;
            }
        }
    }

    /** Waits for a scheduled attempt to succeed; false if closed meanwhile. */
    private boolean reconnect() {
        while (!closed) {
            var attempt = retry.schedule(this::listen, 250, TimeUnit.MILLISECONDS);
            boolean ok;
            try {
                ok = attempt.get();
            } catch (InterruptedException e) {
                return false;
            } catch (Exception e) {
                ok = false;
            }
            if (ok) {
                try {
                    onCommit.run(); // catch up on what was committed while we were away
                } catch (RuntimeException e) {
                    LOG.log(
                            System.Logger.Level.DEBUG,
                            "catching up after LISTEN reconnect failed; the next commit retries",
                            e);
                }
                return true;
            }
        }
        return false;
    }

    void close() {
        closed = true;
        Source src = source;
        if (src != null) src.close();
        retry.shutdownNow();
        thread.interrupt();
    }
}
