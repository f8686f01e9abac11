package org.cairndb.tests.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.RetriesExhaustedException;
import org.cairndb.client.TransactionManager;
import org.cairndb.client.model.Item;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 7: four writers on one object (no conflict resolution: every concurrent
 * commit is a real conflict) over cairn://, each increment through run(30, ...). Retried at
 * once, about 1% of them lost 30 attempts in a row; with backoff none may.
 */
class ContendedRetryTest {
    private static final int WRITERS = 4;
    private static final int PER_WRITER = Boolean.getBoolean("cairn.exhaustive") ? 2_000 : 150;

    @Test
    void fourWritersOneObject_noTransactionExhaustsItsAttempts(@TempDir Path dir) throws Exception {
        try (CairnServer server =
                        CairnServer.start(new ServerConfig().port(0).storage("main", "mem:" + dir.resolve("c.cairn")));
                Database db = Database.open("cairn://127.0.0.1:" + server.port() + "/main")) {
            TransactionManager tm = db.transactionManager();
            long oid;
            try (Connection c = db.open()) {
                Item item = c.add(new Item("hot", 0));
                c.root().put("hot", item);
                tm.commit();
                oid = item.oid();
            }
            CyclicBarrier start = new CyclicBarrier(WRITERS);
            AtomicLong gaveUp = new AtomicLong();
            AtomicLong mostAttempts = new AtomicLong();
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                writers.add(CompletableFuture.runAsync(() -> {
                    try (Connection c = db.open()) {
                        start.await();
                        for (int i = 0; i < PER_WRITER; i++) {
                            try {
                                tm.run(30, () -> {
                                    Item item = c.get(oid);
                                    item.qty(item.qty() + 1);
                                });
                            } catch (RetriesExhaustedException e) {
                                gaveUp.incrementAndGet();
                                mostAttempts.accumulateAndGet(e.attempts(), Math::max);
                            }
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (CompletableFuture<Void> f : writers) f.join();
            System.out.println(
                    "contended: commits=" + tm.commitCount() + " retries=" + tm.retryCount() + " gaveUp=" + gaveUp);
            assertThat(gaveUp).as("transactions that lost all 30 attempts").hasValue(0);
            try (Connection c = db.open()) {
                assertThat(((Item) c.get(oid)).qty()).isEqualTo(WRITERS * PER_WRITER);
                tm.abort();
            }
        }
    }
}
