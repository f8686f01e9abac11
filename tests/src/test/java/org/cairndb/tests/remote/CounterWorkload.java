package org.cairndb.tests.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.PartialCommitException;
import org.cairndb.client.RetriesExhaustedException;
import org.cairndb.client.collections.Counter;
import org.cairndb.storage.CommitOutcomeUnknownException;
import org.cairndb.storage.RetryableException;

/**
 * The counter invariant: one writer adds 1 to a counter in each mount per transaction,
 * through {@code run(...)}, while faults are injected. Every outcome is counted: committed
 * (acknowledged), not committed (run gave up), unknown or partial (resolved by reading the
 * counters back: with one writer a counter is either the expected value or one more). At the
 * end every stored counter must equal exactly what the outcomes say: none lost (acknowledged
 * but missing) and none duplicated (applied twice).
 */
final class CounterWorkload implements AutoCloseable {
    private final Supplier<Database> open;
    private final List<String> mounts;
    private Database db;
    private Connection conn;
    /** What each mount's counter must hold. */
    final long[] expected;

    long acknowledged;
    long notCommitted;
    long unknown;
    long partial;
    /** Unknown or partial outcomes that read back as committed (per mount). */
    long resolvedCommitted;

    CounterWorkload(Supplier<Database> open, String... mounts) {
        this.open = open;
        this.mounts = List.of(mounts);
        this.expected = new long[mounts.length];
        reopen();
        retrying(() -> db.transactionManager().run(100, () -> {
            for (String m : this.mounts) {
                if (conn.root(m).get("counter") == null) conn.root(m).put("counter", conn.add(new Counter(), m));
            }
        }));
        long[] start = read();
        System.arraycopy(start, 0, expected, 0, start.length);
    }

    private void reopen() {
        if (conn != null) {
            conn.transactionManager().abort();
            conn.close();
        }
        if (db != null) db.close();
        db = open.get();
        conn = db.open();
    }

    Database database() {
        return db;
    }

    /** One increment of every mount's counter, through run(attempts, ...); its outcome is recorded. */
    void step(int attempts) {
        try {
            db.transactionManager().run(attempts, () -> {
                for (String m : mounts) ((Counter) conn.root(m).get("counter")).add(1);
            });
            acknowledged++;
            for (int i = 0; i < expected.length; i++) expected[i]++;
        } catch (RetriesExhaustedException e) {
            notCommitted++;
        } catch (CommitOutcomeUnknownException e) {
            unknown++;
            resolve();
        } catch (PartialCommitException e) {
            partial++;
            assertThat(db.isHosed()).as("a partial commit hoses the database").isTrue();
            reopen();
            resolve();
        }
    }

    /** After an unknown or partial outcome: each counter reads back as expected (not committed there) or one more (committed). */
    private void resolve() {
        long[] now = read();
        for (int i = 0; i < now.length; i++) {
            assertThat(now[i])
                    .as("mount %s after an unknown outcome", mounts.get(i))
                    .isBetween(expected[i], expected[i] + 1);
            if (now[i] > expected[i]) resolvedCommitted++;
            expected[i] = now[i];
        }
    }

    /** The counters as stored now (reading again while the connection is down). */
    long[] read() {
        long[] out = new long[mounts.size()];
        retrying(() -> {
            db.transactionManager().begin();
            for (int i = 0; i < out.length; i++)
                out[i] = ((Counter) conn.root(mounts.get(i)).get("counter")).get();
            db.transactionManager().abort();
        });
        return out;
    }

    private static void retrying(Runnable r) {
        RetryableException last = null;
        for (int i = 0; i < 1000; i++) {
            try {
                r.run();
                return;
            } catch (RetryableException e) {
                last = e;
            }
        }
        throw last;
    }

    /** The invariant: every stored counter is exactly what the outcomes say. */
    void check() {
        long[] stored = read();
        System.out.println("counter workload: " + this);
        List<String> report = new ArrayList<>();
        for (int i = 0; i < stored.length; i++) {
            if (stored[i] != expected[i])
                report.add(mounts.get(i) + ": stored " + stored[i] + ", expected " + expected[i]);
        }
        assertThat(report).as("counters lost or duplicated (%s)", this).isEmpty();
    }

    @Override
    public String toString() {
        return "acknowledged=" + acknowledged + " notCommitted=" + notCommitted + " unknown=" + unknown + " partial="
                + partial + " resolvedCommitted=" + resolvedCommitted;
    }

    @Override
    public void close() {
        try {
            conn.transactionManager().abort();
            conn.close();
        } finally {
            db.close();
        }
    }
}
