package org.cairndb.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageClosedException;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Invalidations, caches over reconnects, restarts, and waiters woken on every path. */
class RemoteInvalidationTest {
    Storage backing;
    CairnServer server;

    @BeforeEach
    void start() {
        backing = Storages.open("temp:");
        server = Remote.serve(backing);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        backing.close();
    }

    @Test
    void commit_invalidatesOtherClientsCache() {
        try (RemoteStorage a = Remote.connect(server, "");
                RemoteStorage b = Remote.connect(server, "")) {
            long oid = a.newOids(1)[0];
            long t1 = Remote.commit(a, oid, Tid.ZERO, 1);
            b.lastTid();
            assertThat(Remote.valueOf(b.load(oid))).isEqualTo(1);
            assertThat(b.cachedRecords()).isEqualTo(1);
            Remote.commit(a, oid, t1, 2);
            b.lastTid(); // one round trip: every invalidation before it is applied
            assertThat(Remote.valueOf(b.load(oid))).isEqualTo(2);
        }
    }

    @Test
    void commit_cachesWhatItWrote_servedWithoutTheServer_untilAnotherCommitInvalidatesIt() {
        try (RemoteStorage a = Remote.connect(server, "");
                RemoteStorage b = Remote.connect(server, "")) {
            long oid = a.newOids(1)[0];
            long t1 = Remote.commit(a, oid, Tid.ZERO, 1);
            assertThat(a.cachedRecords()).as("the record a just committed").isEqualTo(1);
            Remote.commit(b, oid, t1, 2);
            a.lastTid(); // every invalidation before it is applied
            long misses = a.cacheMisses();
            assertThat(Remote.valueOf(a.load(oid))).isEqualTo(2);
            assertThat(a.cacheMisses())
                    .as("the overtaken record is not served as current: the load went to the server")
                    .isEqualTo(misses + 1);
            long t3 = Remote.commit(a, oid, backing.load(oid).tid(), 3);
            server.close();
            server = null;
            var l = a.load(oid); // no server: only the cache can answer
            assertThat(l.tid()).isEqualTo(t3);
            assertThat(Remote.valueOf(l)).isEqualTo(3);
        }
    }

    /**
     * The cache keeps a replaced revision for the snapshots it was current in: a view opened
     * before another client's commit still reads the old revision from the cache (the first
     * version dropped it on the invalidation, and the view asked the server), while a load
     * of the current revision goes to the server.
     */
    @Test
    void aViewOlderThanACommit_readsTheReplacedRevisionFromTheCache() {
        try (RemoteStorage a = Remote.connect(server, "");
                RemoteStorage b = Remote.connect(server, "")) {
            long oid = a.newOids(1)[0];
            long t1 = Remote.commit(a, oid, Tid.ZERO, 1);
            try (StorageView old = a.openView()) {
                assertThat(old.load(oid).tid()).isEqualTo(t1);
                Remote.commit(b, oid, t1, 2);
                a.lastTid(); // the invalidation of b's commit is applied
                long hits = a.cacheHits();
                var l = old.load(oid);
                assertThat(l.tid()).isEqualTo(t1);
                assertThat(Remote.valueOf(l)).isEqualTo(1);
                assertThat(a.cacheHits())
                        .as("answered by the cache, not the server's view")
                        .isEqualTo(hits + 1);
                assertThat(Remote.valueOf(a.load(oid))).isEqualTo(2);
            }
        }
    }

    /**
     * Two clients commit one object as fast as they can. Another client's commit can be pushed
     * before the answer to ours: then what we wrote must not enter our cache as current (a
     * client holding it would conflict forever on its next write, reading it as current).
     */
    @Test
    void commitsRacingOnOneObject_cacheNeverKeepsAnOvertakenRecord() throws Exception {
        long oid = backing.newOids(1)[0];
        Remote.commit(backing, oid, Tid.ZERO, 0);
        try (RemoteStorage a = Remote.connect(server, "");
                RemoteStorage b = Remote.connect(server, "")) {
            CyclicBarrier round = new CyclicBarrier(2);
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (RemoteStorage s : List.of(a, b)) {
                writers.add(CompletableFuture.runAsync(() -> {
                    try {
                        for (int i = 0; i < 200; i++) {
                            round.await();
                            for (int attempt = 0; ; attempt++) {
                                assertThat(attempt)
                                        .as("retries of one increment (a stale cached record conflicts forever)")
                                        .isLessThan(500);
                                var cur = s.load(oid);
                                try {
                                    Remote.commit(s, oid, cur.tid(), Remote.valueOf(cur) + 1);
                                    break;
                                } catch (ConflictException e) {
                                    s.lastTid(); // the invalidation of the commit that beat us is applied
                                }
                            }
                        }
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                }));
            }
            for (var w : writers) w.get(120, TimeUnit.SECONDS);
            a.lastTid();
            b.lastTid();
            assertThat(Remote.valueOf(backing.load(oid))).isEqualTo(400);
            assertThat(a.load(oid).tid()).isEqualTo(backing.load(oid).tid());
            assertThat(b.load(oid).tid()).isEqualTo(backing.load(oid).tid());
        }
    }

    @Test
    void view_keepsItsSnapshotWhileOthersCommit_andSyncReportsTheChange() {
        try (RemoteStorage a = Remote.connect(server, "");
                RemoteStorage b = Remote.connect(server, "")) {
            long oid = a.newOids(1)[0];
            long t1 = Remote.commit(a, oid, Tid.ZERO, 1);
            try (StorageView v = b.openView()) {
                assertThat(Remote.valueOf(v.load(oid))).isEqualTo(1);
                Remote.commit(a, oid, t1, 2);
                b.lastTid();
                assertThat(Remote.valueOf(v.load(oid))).isEqualTo(1);
                assertThat(Remote.valueOf(b.load(oid))).isEqualTo(2);
                var inv = v.sync();
                assertThat(inv.oids()).containsExactly(oid);
                assertThat(Remote.valueOf(v.load(oid))).isEqualTo(2);
            }
        }
    }

    @Test
    void reconnect_keepsCacheExceptInvalidated(@TempDir Path dir) {
        String cache = "cache=" + dir.resolve("client.cache");
        long o1, o2, t1;
        try (RemoteStorage a = Remote.connect(server, cache)) {
            long[] oids = a.newOids(2);
            o1 = oids[0];
            o2 = oids[1];
            StorageTransaction t = a.begin(TransactionMetadata.EMPTY);
            t.store(o1, Tid.ZERO, Remote.value(10));
            t.store(o2, Tid.ZERO, Remote.value(20));
            t.vote();
            t1 = t.finish();
            a.load(o1);
            a.load(o2);
        }
        try (RemoteStorage b = Remote.connect(server, "")) {
            Remote.commit(b, o1, t1, 11);
        }
        try (RemoteStorage a = Remote.connect(server, cache)) {
            long misses = a.cacheMisses();
            assertThat(Remote.valueOf(a.load(o2))).isEqualTo(20);
            assertThat(a.cacheMisses()).as("o2 still cached across the restart").isEqualTo(misses);
            assertThat(Remote.valueOf(a.load(o1))).isEqualTo(11);
            assertThat(a.cacheMisses())
                    .as("o1 was invalidated and loaded again")
                    .isEqualTo(misses + 1);
        }
    }

    @Test
    void persistentCache_workingSetLargerThanCache_boundedAndCorrectAcrossRestart(@TempDir Path dir) {
        int n = 3000;
        String cache =
                "cache=" + dir.resolve("client.cache") + "&cache-entries=1000&cache-mb=0"; // the file is the only level
        long[] oids;
        long[] tids = new long[n];
        try (RemoteStorage w = Remote.connect(server, "")) {
            oids = w.newOids(n);
            for (int from = 0; from < n; from += 500) {
                StorageTransaction t = w.begin(TransactionMetadata.EMPTY);
                for (int i = from; i < from + 500; i++) t.store(oids[i], Tid.ZERO, Remote.value(i));
                t.vote();
                long tid = t.finish();
                for (int i = from; i < from + 500; i++) tids[i] = tid;
            }
        }
        try (RemoteStorage a = Remote.connect(server, cache)) {
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < n; i++) {
                    assertThat(Remote.valueOf(a.load(oids[i]))).isEqualTo(i);
                    assertThat(a.cache.persistentSize()).isLessThanOrEqualTo(1000);
                }
            }
            assertThat(a.cache.persistentSize()).isGreaterThan(500);
        }
        try (RemoteStorage b = Remote.connect(server, "")) {
            StorageTransaction t = b.begin(TransactionMetadata.EMPTY);
            for (int i = n - 30; i < n; i++) t.store(oids[i], tids[i], Remote.value(-i)); // recently read: in the file
            t.vote();
            t.finish();
        }
        try (RemoteStorage a = Remote.connect(server, cache)) {
            long misses = a.cacheMisses();
            for (int i = n - 300; i < n - 30; i++)
                assertThat(Remote.valueOf(a.load(oids[i]))).isEqualTo(i);
            assertThat(a.cacheMisses())
                    .as("recently used records came back from the file")
                    .isEqualTo(misses);
            for (int i = n - 30; i < n; i++)
                assertThat(Remote.valueOf(a.load(oids[i]))).isEqualTo(-i);
            assertThat(a.cacheMisses())
                    .as("changed while down: invalidated on reconnect")
                    .isEqualTo(misses + 30);
            for (int i = 0; i < n; i++)
                assertThat(Remote.valueOf(a.load(oids[i]))).isEqualTo(i < n - 30 ? i : -i);
            assertThat(a.cache.persistentSize()).isLessThanOrEqualTo(1000);
        }
    }

    @Test
    void reconnect_historyTooShort_dropsWholeCache(@TempDir Path dir) {
        server.close();
        server =
                Remote.serve(new ServerConfig().port(0).storage("main", backing).historySize(1));
        String cache = "cache=" + dir.resolve("client.cache");
        long oid;
        long t;
        try (RemoteStorage a = Remote.connect(server, cache)) {
            oid = a.newOids(1)[0];
            t = Remote.commit(a, oid, Tid.ZERO, 1);
            a.load(oid);
        }
        try (RemoteStorage b = Remote.connect(server, "")) {
            long other = b.newOids(1)[0];
            long x = Remote.commit(b, other, Tid.ZERO, 5);
            Remote.commit(b, other, x, 6); // two commits, history keeps one
        }
        try (RemoteStorage a = Remote.connect(server, cache)) {
            assertThat(a.cachedRecords()).isZero();
            long misses = a.cacheMisses();
            assertThat(Remote.valueOf(a.load(oid))).isEqualTo(1);
            assertThat(a.cacheMisses()).isEqualTo(misses + 1);
        }
    }

    @Test
    void serverRestart_changesWhileDown_dropWholeCache() {
        int port = server.port();
        try (RemoteStorage a = Remote.connect(server, "")) {
            long oid = a.newOids(1)[0];
            Remote.commit(a, oid, Tid.ZERO, 1);
            a.load(oid);
            server.close();
            // committed while no server saw it: no history can name it, so the client drops everything
            Remote.commit(backing, oid, backing.load(oid).tid(), 3);
            server = Remote.serve(new ServerConfig().port(port).storage("main", backing));
            a.lastTid();
            assertThat(a.cachedRecords()).isZero();
            assertThat(Remote.valueOf(a.load(oid))).isEqualTo(3);
        }
    }

    @Test
    void serverRestart_clientReconnects_transactionInFlightIsRetryable_cacheKept() {
        int port = server.port();
        try (RemoteStorage a = Remote.connect(server, "")) {
            long[] oids = a.newOids(2);
            long t1 = Remote.commit(a, oids[0], Tid.ZERO, 1);
            Remote.commit(a, oids[1], Tid.ZERO, 2);
            a.load(oids[0]);
            a.load(oids[1]);
            StorageTransaction inFlight = a.begin(TransactionMetadata.EMPTY);
            inFlight.store(oids[0], t1, Remote.value(99));

            server.close();
            server = Remote.serve(new ServerConfig().port(port).storage("main", backing));

            assertThatThrownBy(inFlight::vote)
                    .isInstanceOf(RetryableException.class)
                    .hasMessageContaining("lost");
            long misses = a.cacheMisses();
            assertThat(Remote.valueOf(a.load(oids[0]))).isEqualTo(1);
            assertThat(Remote.valueOf(a.load(oids[1]))).isEqualTo(2);
            assertThat(a.cacheMisses())
                    .as("the records stayed cached over the reconnect")
                    .isEqualTo(misses);
            assertThat(backing.load(oids[0]).tid())
                    .as("the aborted transaction left no trace")
                    .isEqualTo(t1);
            // and a change made through the new server reaches the client's cache
            try (RemoteStorage b = Remote.connect(server, "")) {
                Remote.commit(b, oids[0], t1, 3);
            }
            a.lastTid();
            assertThat(Remote.valueOf(a.load(oids[0]))).isEqualTo(3);
        }
    }

    @Test
    void disconnectWhileVoted_releasesCommitLock_othersCommit() throws Exception {
        RemoteStorage a = Remote.connect(server, "");
        try (RemoteStorage b = Remote.connect(server, "")) {
            long[] oids = a.newOids(2);
            StorageTransaction ta = a.begin(TransactionMetadata.EMPTY);
            ta.store(oids[0], Tid.ZERO, Remote.value(1));
            ta.vote(); // holds the storage's commit lock now
            CompletableFuture<Long> other = CompletableFuture.supplyAsync(() -> Remote.commit(b, oids[1], Tid.ZERO, 2));
            a.close(); // the client goes away mid-commit
            long tid = other.get(30, TimeUnit.SECONDS); // deadline only: it completes when the lock is handed over
            assertThat(tid).isNotZero();
            assertThat(Remote.valueOf(b.load(oids[1]))).isEqualTo(2);
            assertThatThrownBy(() -> b.load(oids[0])).hasMessageContaining("no record");
        }
    }

    @Test
    void close_wakesThreadWaitingForCommitLock() throws Exception {
        try (RemoteStorage a = Remote.connect(server, "")) {
            RemoteStorage b = Remote.connect(server, "");
            long[] oids = a.newOids(2);
            StorageTransaction ta = a.begin(TransactionMetadata.EMPTY);
            ta.store(oids[0], Tid.ZERO, Remote.value(1));
            ta.vote();
            StorageTransaction tb = b.begin(TransactionMetadata.EMPTY);
            tb.store(oids[1], Tid.ZERO, Remote.value(2));
            CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(tb::vote);
            b.close();
            assertThatThrownBy(() -> waiting.get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(StorageClosedException.class);
            ta.finish();
            assertThat(Remote.valueOf(a.load(oids[0]))).isEqualTo(1);
        }
    }

    @Test
    void serverClose_wakesWaitingRequestsWithRetryableError() throws Exception {
        try (RemoteStorage a = Remote.connect(server, "connect-timeout=1");
                RemoteStorage b = Remote.connect(server, "connect-timeout=1")) {
            long[] oids = a.newOids(2);
            StorageTransaction ta = a.begin(TransactionMetadata.EMPTY);
            ta.store(oids[0], Tid.ZERO, Remote.value(1));
            ta.vote();
            StorageTransaction tb = b.begin(TransactionMetadata.EMPTY);
            tb.store(oids[1], Tid.ZERO, Remote.value(2));
            CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(tb::vote);
            server.close();
            server = null;
            assertThatThrownBy(() -> waiting.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(RetryableException.class);
        }
    }

    @Test
    void storeLargerThanMaxFrame_refusedBeforeSending_connectionStaysUsable() {
        try (RemoteStorage a = Remote.connect(server, "max-frame=4096")) {
            long oid = a.newOids(1)[0];
            StorageTransaction t = a.begin(TransactionMetadata.EMPTY);
            assertThatThrownBy(() -> t.store(oid, Tid.ZERO, new byte[10_000]))
                    .isInstanceOf(org.cairndb.storage.StorageMisuseException.class)
                    .hasMessageContaining("exceeds the maximum frame size of 4096");
            t.abort();
            Remote.commit(a, oid, Tid.ZERO, 5);
            assertThat(Remote.valueOf(a.load(oid))).isEqualTo(5);
        }
    }
}
