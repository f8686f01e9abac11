package org.cairndb.bench.objects;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicReference;
import org.postgresql.PGConnection;

/**
 * The floor {@code bench shootout}'s add is held against on {@code postgres://}: a raw
 * {@code COPY ... FROM STDIN (FORMAT binary)} of the same number of rows of the same size
 * into a table of the same PostgreSQL, one COPY (its own transaction, committed) per worker
 * per sample, the workers running at once as the shootout's do. Rows per second, summed over
 * workers, over the same number of samples. The table ({@code cairn_bench_copy_floor_*}, in
 * the public schema) is dropped afterwards.
 */
final class CopyFloor {
    private final String jdbcUrl;
    private final Properties props = new Properties();

    private CopyFloor(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        props.setProperty("user", user);
        if (password != null) props.setProperty("password", password);
    }

    /**
     * The floor for a {@code postgres://user[:pass]@host[:port]/db?...} URI (the password may
     * also come from {@code password-env=}); null for any other URI.
     */
    static CopyFloor forUri(String uri) {
        if (!uri.startsWith("postgres://")) return null;
        URI u = URI.create(uri);
        String user = "postgres", password = null;
        if (u.getRawUserInfo() != null) {
            String[] parts = u.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            if (parts.length > 1) password = decode(parts[1]);
        }
        String query = u.getRawQuery() == null ? "" : u.getRawQuery();
        for (String p : query.split("&")) {
            if (p.startsWith("password-env=")) password = System.getenv(decode(p.substring("password-env=".length())));
            if (p.startsWith("password-file=")) {
                try {
                    password = java.nio.file.Files.readString(
                                    java.nio.file.Path.of(decode(p.substring("password-file=".length()))))
                            .strip();
                } catch (IOException e) {
                    throw new UncheckedIOException(
                            "cannot read the password-file of " + u.getHost() + ": " + e.getMessage(), e);
                }
            }
        }
        int port = u.getPort() < 0 ? 5432 : u.getPort();
        return new CopyFloor("jdbc:postgresql://" + u.getHost() + ":" + port + u.getRawPath(), user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** Runs {@code warmup} uncounted then {@code samples} counted rounds of {@code concurrency} concurrent COPYs of {@code rows} rows of {@code rowBytes} bytes each. */
    PhaseStats measure(int rows, int rowBytes, int concurrency, int warmup, int samples) {
        String table = "cairn_bench_copy_floor_" + Long.toHexString(System.nanoTime());
        double[] rates = new double[samples];
        try (Connection admin = DriverManager.getConnection(jdbcUrl, props);
                Statement st = admin.createStatement()) {
            st.execute(
                    "CREATE TABLE public." + table + " (worker int NOT NULL, id bigint NOT NULL, data bytea NOT NULL)");
            try {
                Phaser barrier =
                        new Phaser(concurrency); // a failing worker leaves it, the others stop at their next round
                AtomicReference<Throwable> failure = new AtomicReference<>();
                List<Thread> threads = new ArrayList<>();
                for (int w = 0; w < concurrency; w++) {
                    int worker = w;
                    Thread t = new Thread(
                            () -> {
                                try (Connection c = DriverManager.getConnection(jdbcUrl, props)) {
                                    byte[] copy = encode(worker, rows, rowBytes);
                                    String sql =
                                            "COPY public." + table + " (worker, id, data) FROM STDIN (FORMAT binary)";
                                    for (int s = -warmup; s < samples; s++) {
                                        barrier.arriveAndAwaitAdvance();
                                        if (failure.get() != null) return;
                                        long t0 = System.nanoTime();
                                        long n = c.unwrap(PGConnection.class)
                                                .getCopyAPI()
                                                .copyIn(sql, new ByteArrayInputStream(copy));
                                        double seconds = Math.max(1, System.nanoTime() - t0) / 1e9;
                                        if (n != rows)
                                            throw new IllegalStateException("COPY wrote " + n + " rows of " + rows);
                                        if (s < 0) continue; // a warm-up sample
                                        synchronized (rates) {
                                            rates[s] += rows / seconds;
                                        }
                                    }
                                } catch (Throwable e) {
                                    failure.compareAndSet(null, e);
                                } finally {
                                    barrier.arriveAndDeregister();
                                }
                            },
                            "copy-floor-" + w);
                    threads.add(t);
                    t.start();
                }
                for (Thread t : threads) t.join();
                if (failure.get() != null)
                    throw new IllegalStateException("the COPY floor failed: " + failure.get(), failure.get());
            } finally {
                st.execute("DROP TABLE IF EXISTS public." + table);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the COPY floor cannot run on " + jdbcUrl + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring the COPY floor", e);
        }
        PhaseStats out = new PhaseStats(samples);
        for (double r : rates) out.add(r);
        return out;
    }

    /** The whole COPY in PostgreSQL's binary format, built before the clock starts; each row its own pseudo-random words, as the shootout's objects. */
    private static byte[] encode(int worker, int rows, int rowBytes) throws IOException {
        Random r = new Random(1009L * worker + 17);
        byte[] payload = new byte[rowBytes];
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(rows * (rowBytes + 30) + 32);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeBytes("PGCOPY\n");
        out.write(new byte[] {(byte) 0xff, '\r', '\n', 0});
        out.writeInt(0); // flags
        out.writeInt(0); // header extension length
        for (int i = 0; i < rows; i++) {
            out.writeShort(3);
            out.writeInt(4);
            out.writeInt(worker);
            out.writeInt(8);
            out.writeLong(i);
            for (int j = 0; j < rowBytes; j++)
                payload[j] = r.nextInt(7) == 0 ? (byte) ' ' : (byte) ('a' + r.nextInt(26));
            out.writeInt(rowBytes);
            out.write(payload, 0, rowBytes);
        }
        out.writeShort(-1);
        out.flush();
        return bytes.toByteArray();
    }
}
