package org.cairndb.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cairndb.server.CairnServer;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.Test;

/**
 * 50 clients, each with its own connection and cache, commit to their own objects and to a
 * few shared ones (conflicts retried), and read everyone's objects all along. At the end
 * each client's cache must agree with the storage: every invalidation reached every client.
 */
class ManyClientsTest {
    static final int CLIENTS = 50;
    static final int ROUNDS = Boolean.getBoolean("cairn.exhaustive") ? 200 : 20;
    static final int SHARED = 3;

    @Test
    void fiftyClients_commitAndRead_cachesAgreeWithStorage() throws Exception {
        try (Storage backing = Storages.open("temp:");
                CairnServer server = Remote.serve(backing)) {
            long[] own;
            long[] shared;
            try (RemoteStorage setup = Remote.connect(server, "")) {
                own = setup.newOids(CLIENTS);
                shared = setup.newOids(SHARED);
                StorageTransaction t = setup.begin(TransactionMetadata.EMPTY);
                for (long o : own) t.store(o, Tid.ZERO, Remote.value(0));
                for (long o : shared) t.store(o, Tid.ZERO, Remote.value(0));
                t.vote();
                t.finish();
            }
            List<RemoteStorage> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) clients.add(Remote.connect(server, ""));
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            CyclicBarrier go = new CyclicBarrier(CLIENTS);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int me = i;
                RemoteStorage c = clients.get(i);
                results.add(pool.submit(() -> {
                    go.await();
                    int retries = 0;
                    for (int r = 1; r <= ROUNDS; r++) {
                        Loaded mine = c.load(own[me]);
                        Remote.commit(c, own[me], mine.tid(), r);
                        long s = shared[r % SHARED];
                        while (true) {
                            c.lastTid();
                            Loaded cur = c.load(s);
                            try {
                                Remote.commit(c, s, cur.tid(), Remote.valueOf(cur) + 1);
                                break;
                            } catch (ConflictException e) {
                                retries++;
                            }
                        }
                        c.load(own[
                                (me + r) % CLIENTS]); // read a neighbour's object: fills the cache with others' records
                    }
                    return retries;
                }));
            }
            for (Future<Integer> f : results) f.get();
            pool.shutdown();
            long sharedTotal = 0;
            for (long s : shared) sharedTotal += Remote.valueOf(backing.load(s));
            assertThat(sharedTotal).as("every shared increment counted once").isEqualTo((long) CLIENTS * ROUNDS);
            for (RemoteStorage c : clients) {
                c.lastTid();
                for (int i = 0; i < CLIENTS; i++)
                    assertThat(Remote.valueOf(c.load(own[i]))).isEqualTo(ROUNDS);
                for (long s : shared)
                    assertThat(c.load(s).tid()).isEqualTo(backing.load(s).tid());
                c.close();
            }
        }
    }
}
