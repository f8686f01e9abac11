package org.cairndb.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.cairndb.server.CairnServer;
import org.cairndb.storage.CommitOutcomeUnknownException;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes killed with SIGKILL: a client holding the commit lock, and the server under load. */
class ProcessFaultTest {

    @Test
    void clientKilledWhileHoldingCommitLock_othersCommit_nothingOfItLeft() throws Exception {
        try (Storage backing = Storages.open("temp:");
                CairnServer server = Remote.serve(backing);
                RemoteStorage other = Remote.connect(server, "")) {
            Process child = FaultChild.start("commit-and-hang", String.valueOf(server.port()));
            try {
                long childOid =
                        Long.parseLong(FaultChild.awaitLine(child, "VOTED").split(" ")[1]);
                long oid = other.newOids(1)[0];
                CompletableFuture<Long> queued =
                        CompletableFuture.supplyAsync(() -> Remote.commit(other, oid, Tid.ZERO, 1));
                child.destroyForcibly(); // SIGKILL
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(queued.get(60, TimeUnit.SECONDS)).isNotZero();
                assertThatThrownBy(() -> backing.load(childOid)).isInstanceOf(PosKeyException.class);
                assertThat(Remote.valueOf(other.load(oid))).isEqualTo(1);
            } finally {
                child.destroyForcibly();
            }
        }
    }

    /**
     * Four clients commit pairs (a counter and its mirror, same value, one transaction) while
     * the server process over a mem: file is killed and started again. Every acknowledged
     * commit must be there afterwards, and no pair may be half-written.
     */
    @Test
    void serverKilledAndRestartedUnderLoad_clientsReconnect_committedDataIntact(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        String uri = "mem:" + dir.resolve("main.cairn");
        Process server = FaultChild.start("server", String.valueOf(port), uri);
        FaultChild.awaitLine(server, "READY");
        int clients = 4;
        List<RemoteStorage> conns = new ArrayList<>();
        long[][] oids = new long[clients][];
        AtomicLongArray acknowledged = new AtomicLongArray(clients);
        AtomicBoolean stop = new AtomicBoolean();
        List<CompletableFuture<Integer>> work = new ArrayList<>();
        try {
            for (int c = 0; c < clients; c++) {
                RemoteStorage s = Remote.connect(port, "connect-timeout=60");
                conns.add(s);
                oids[c] = s.newOids(2);
            }
            for (int c = 0; c < clients; c++) {
                int me = c;
                RemoteStorage s = conns.get(c);
                work.add(CompletableFuture.supplyAsync(() -> {
                    int retries = 0;
                    long value = 0;
                    long[] tids = {Tid.ZERO, Tid.ZERO};
                    while (!stop.get()) {
                        try {
                            StorageTransaction t = s.begin(TransactionMetadata.of("load", "pair"));
                            t.store(oids[me][0], tids[0], Remote.value(value + 1));
                            t.store(oids[me][1], tids[1], Remote.value(value + 1));
                            t.vote();
                            long tid = t.finish();
                            value++;
                            tids[0] = tids[1] = tid;
                            acknowledged.set(me, value);
                            synchronized (acknowledged) {
                                acknowledged.notifyAll();
                            }
                        } catch (RetryableException | CommitOutcomeUnknownException e) {
                            retries++;
                            // not committed, or (server killed during finish, others committed since) unknown: read
                            // back where we are
                            try {
                                Loaded l = s.loadBefore(oids[me][0], Tid.MAX);
                                value = Remote.valueOf(l);
                                tids[0] = tids[1] = l.tid();
                            } catch (PosKeyException none) {
                                value = 0;
                                tids[0] = tids[1] = Tid.ZERO;
                            } catch (RetryableException stillDown) {
                                // try again
                            }
                        }
                    }
                    return retries;
                }));
            }
            awaitProgress(acknowledged, 20);
            server.destroyForcibly();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long[] beforeKill = new long[clients];
            for (int c = 0; c < clients; c++) beforeKill[c] = acknowledged.get(c);
            server = FaultChild.start("server", String.valueOf(port), uri);
            FaultChild.awaitLine(server, "READY");
            long[] floor = beforeKill.clone();
            for (int c = 0; c < clients; c++) floor[c] += 20;
            awaitProgress(acknowledged, floor);
            stop.set(true);
            int retries = 0;
            for (CompletableFuture<Integer> f : work) retries += f.get(120, TimeUnit.SECONDS);
            assertThat(retries).as("clients saw the server go away").isPositive();
            for (int c = 0; c < clients; c++) {
                RemoteStorage s = conns.get(c);
                long a = Remote.valueOf(s.loadBefore(oids[c][0], Tid.MAX));
                long b = Remote.valueOf(s.loadBefore(oids[c][1], Tid.MAX));
                assertThat(a).as("pair of client %d written together", c).isEqualTo(b);
                assertThat(a)
                        .as("every acknowledged commit of client %d survived", c)
                        .isGreaterThanOrEqualTo(acknowledged.get(c));
            }
        } finally {
            stop.set(true);
            for (RemoteStorage s : conns) s.close();
            server.destroyForcibly();
        }
    }

    private static void awaitProgress(AtomicLongArray acknowledged, long atLeast) throws InterruptedException {
        long[] floor = new long[acknowledged.length()];
        java.util.Arrays.fill(floor, atLeast);
        awaitProgress(acknowledged, floor);
    }

    /** Woken by each acknowledged commit; the timeout is only a deadline that fails the test. */
    private static void awaitProgress(AtomicLongArray acknowledged, long[] floor) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        synchronized (acknowledged) {
            while (true) {
                boolean all = true;
                for (int c = 0; c < floor.length; c++) all &= acknowledged.get(c) >= floor[c];
                if (all) return;
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("clients made no progress: " + acknowledged);
                TimeUnit.NANOSECONDS.timedWait(acknowledged, left);
            }
        }
    }
}
