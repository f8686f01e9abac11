package org.cairndb.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The load-versus-invalidation race that corrupted ZEO caches: loads of an object overlap
 * commits of the same object, and no cache may end up holding a revision older than one
 * whose commit the client has heard of.
 *
 * <p>A writer commits ever-growing values to a few hot oids through its own connection and
 * publishes each value after finish returns. Readers (separate connections, caches on) loop:
 * note the published values, make one round trip (after which every invalidation up to the
 * server's last tid is applied), then load: a value below the noted one is a stale cache
 * entry. The oids are few and the loads constant, so loads and invalidations cross all the
 * time. Readers also read through views, whose answers feed the cache by another path.
 */
class LoadInvalidationRaceTest {
    static final int OIDS = 4;
    static final int READERS = 4;
    static final int COMMITS = Boolean.getBoolean("cairn.exhaustive") ? 20_000 : 1000;

    /**
     * Loads on worker threads (as for storages whose reads may block): the answer of a load
     * that read before a commit can leave the server after that commit's invalidation.
     * (With loads on the event loop the server itself keeps them in order, so the race needs
     * the worker path to show; both are run.)
     */
    @ParameterizedTest(name = "loads on event loop: {0}")
    @ValueSource(booleans = {false, true})
    void loadOverlappingCommit_neverLeavesStaleCacheEntry(boolean inlineReads) throws Exception {
        try (Storage backing = Storages.open("temp:");
                CairnServer server = Remote.serve(new ServerConfig()
                        .port(0)
                        .storage("main", backing)
                        .inlineReads(inlineReads)
                        .ioThreads(2));
                RemoteStorage writer = Remote.connect(server, "")) {
            long[] oids = writer.newOids(OIDS);
            long[] tids = new long[OIDS];
            for (int i = 0; i < OIDS; i++) tids[i] = Remote.commit(writer, oids[i], Tid.ZERO, 0);
            AtomicLongArray published = new AtomicLongArray(OIDS);
            AtomicBoolean done = new AtomicBoolean();
            ConcurrentLinkedQueue<String> stale = new ConcurrentLinkedQueue<>();
            CountDownLatch started = new CountDownLatch(READERS);
            List<Thread> readers = new ArrayList<>();
            List<RemoteStorage> clients = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                RemoteStorage c = Remote.connect(server, "");
                clients.add(c);
                int seed = r;
                Thread t = new Thread(
                        () -> {
                            started.countDown();
                            int i = seed;
                            while (!done.get()) {
                                int k = i++ % OIDS;
                                long floor = published.get(k);
                                c.lastTid();
                                long seen = (i % 3 == 0) ? viewLoad(c, oids[k]) : Remote.valueOf(c.load(oids[k]));
                                if (seen < floor)
                                    stale.add("reader " + seed + " oid " + oids[k] + ": loaded " + seen
                                            + " after commit of " + floor);
                            }
                        },
                        "race-reader-" + r);
                readers.add(t);
                t.start();
            }
            started.await();
            for (int n = 1; n <= COMMITS; n++) {
                int k = n % OIDS;
                tids[k] = Remote.commit(writer, oids[k], tids[k], n);
                published.set(k, n);
            }
            done.set(true);
            for (Thread t : readers) t.join();
            assertThat(stale).as("stale reads after the commit was known").isEmpty();
            // the final word: every cache agrees with the storage
            for (RemoteStorage c : clients) {
                c.lastTid();
                for (int k = 0; k < OIDS; k++) {
                    assertThat(Remote.valueOf(c.load(oids[k]))).isEqualTo(Remote.valueOf(backing.load(oids[k])));
                }
                c.close();
            }
        }
    }

    private static long viewLoad(RemoteStorage c, long oid) {
        try (StorageView v = c.openView()) {
            return Remote.valueOf(v.load(oid));
        }
    }
}
