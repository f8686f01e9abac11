package org.cairndb.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.cairndb.mapping.MappingStorage;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit across a crash: a child JVM serves {@code mem:/file}; four clients commit
 * transactions of eight records each (all eight the same value, so a partial commit shows)
 * as fast as they can, so commits share journal forces; the server is killed with SIGKILL in
 * the middle of that stream. The file, reopened in this JVM, must hold every commit a client
 * had acknowledged (FINISH answered), at most the one it had in flight, and no transaction in
 * part. Three rounds, each continuing from what the previous reopen found.
 */
class GroupCommitCrashTest {
    private static final int CLIENTS = 4;
    private static final int RECORDS = 8;

    @TempDir
    Path dir;

    @Test
    void serverKilledMidStream_reopenHasEveryAcknowledgedCommitAndNoPartOfOne() throws Exception {
        Path file = dir.resolve("main.cairn");
        long[][] oids = new long[CLIENTS][RECORDS];
        long[] values = new long[CLIENTS];
        int rounds = Boolean.getBoolean("cairn.exhaustive") ? 10 : 3;
        for (int round = 0; round < rounds; round++) {
            int port;
            try (ServerSocket ss = new ServerSocket(0)) {
                port = ss.getLocalPort();
            }
            Process server = FaultChild.start("server", String.valueOf(port), "mem:" + file);
            AtomicLongArray acknowledged = new AtomicLongArray(CLIENTS);
            List<RemoteStorage> conns = new ArrayList<>();
            List<CompletableFuture<Void>> work = new ArrayList<>();
            try {
                FaultChild.awaitLine(server, "READY");
                for (int c = 0; c < CLIENTS; c++) {
                    RemoteStorage s = Remote.connect(port, "connect-timeout=60");
                    conns.add(s);
                    if (round == 0) oids[c] = s.newOids(RECORDS);
                }
                for (int c = 0; c < CLIENTS; c++) {
                    int me = c;
                    RemoteStorage s = conns.get(c);
                    long start = values[c];
                    acknowledged.set(me, start);
                    work.add(
                            CompletableFuture.runAsync(() -> commitUntilFailure(s, oids[me], start, acknowledged, me)));
                }
                awaitEach(acknowledged, values, 30);
                // SIGKILL while all four are committing
                int rc = new ProcessBuilder("kill", "-KILL", String.valueOf(server.pid()))
                        .inheritIO()
                        .start()
                        .waitFor();
                assertThat(rc).isZero();
                assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
                for (RemoteStorage s : conns) s.close(); // the clients' requests fail now instead of reconnecting
                for (CompletableFuture<Void> f : work) f.get(120, TimeUnit.SECONDS);
            } finally {
                for (RemoteStorage s : conns) s.close();
                server.destroyForcibly();
            }
            assertThat(server.exitValue()).as("killed by SIGKILL").isEqualTo(137);
            try (MappingStorage s = MappingStorage.persisted("verify", file, 1_000_000, 256)) {
                for (int c = 0; c < CLIENTS; c++) {
                    long[] found = new long[RECORDS];
                    for (int r = 0; r < RECORDS; r++) found[r] = valueOr0(s, oids[c][r]);
                    assertThat(found)
                            .as("round %d, client %d: one transaction's records, all or none", round, c)
                            .containsOnly(found[0]);
                    assertThat(found[0])
                            .as(
                                    "round %d, client %d: every acknowledged commit kept, at most the one in flight more",
                                    round, c)
                            .isBetween(acknowledged.get(c), acknowledged.get(c) + 1);
                    values[c] = found[0];
                }
            }
        }
    }

    /** Commits value+1, value+2, ... to all of {@code oids} in one transaction each, until a request fails (the server died). */
    private static void commitUntilFailure(
            RemoteStorage s, long[] oids, long start, AtomicLongArray acknowledged, int me) {
        long value = start;
        long readTid = Tid.ZERO;
        try {
            if (start > 0) readTid = s.load(oids[0]).tid();
            while (true) {
                StorageTransaction t = s.begin(TransactionMetadata.of("crash", "value " + (value + 1)));
                for (long oid : oids) t.store(oid, readTid, Remote.value(value + 1));
                t.vote();
                readTid = t.finish();
                value++;
                acknowledged.set(me, value);
                synchronized (acknowledged) {
                    acknowledged.notifyAll();
                }
            }
        } catch (RuntimeException serverGone) {
            // the kill: the commit in flight is unacknowledged
        }
    }

    private static long valueOr0(MappingStorage s, long oid) {
        try {
            Loaded l = s.load(oid);
            return Remote.valueOf(l);
        } catch (PosKeyException never) {
            return 0;
        }
    }

    /** Woken by each acknowledged commit; the timeout is only a deadline that fails the test. */
    private static void awaitEach(AtomicLongArray acknowledged, long[] from, int more) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        synchronized (acknowledged) {
            while (true) {
                boolean all = true;
                for (int c = 0; c < from.length; c++) all &= acknowledged.get(c) >= from[c] + more;
                if (all) return;
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("clients made no progress: " + acknowledged);
                TimeUnit.NANOSECONDS.timedWait(acknowledged, left);
            }
        }
    }
}
