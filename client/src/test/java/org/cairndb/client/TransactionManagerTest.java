package org.cairndb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.cairndb.client.collections.Counter;
import org.cairndb.client.model.Item;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.ReadOnlyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransactionManagerTest {

    @ParameterizedTest
    @ValueSource(strings = {"temp:", "mem:"})
    void run_threadsIncrementOneCounter_exactCountAndNoConflictReachesApp(String uri) throws Exception {
        int threads = 4, perThread = 50;
        try (Database db = Database.open(uri)) {
            TransactionManager tm = db.transactionManager();
            long counterOid;
            try (Connection c = db.open()) {
                Counter counter = c.add(new Counter());
                c.root().put("hits", counter);
                tm.commit();
                counterOid = counter.oid();
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    try (Connection c = db.open()) {
                        Counter counter = c.get(counterOid);
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            tm.run(1000, () -> counter.increment());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(); // a ConflictException reaching the app would fail here
            pool.shutdown();
            try (Connection c = db.open()) {
                assertThat(((Counter) c.get(counterOid)).get()).isEqualTo((long) threads * perThread);
                tm.abort();
            }
        }
    }

    /** temp: merges in the storage at vote; mem: only detects conflicts, and the connection merges them. */
    @ParameterizedTest
    @ValueSource(strings = {"temp:", "mem:"})
    void counter_concurrentIncrements_mergedWithoutRetry(String uri) throws Exception {
        try (Database db = Database.open(uri)) {
            TransactionManager tm = db.transactionManager();
            try (Connection c = db.open()) {
                Counter counter = c.add(new Counter());
                c.root().put("n", counter);
                tm.commit();
                counter.add(5); // this transaction read the counter at 0
                CompletableFuture.runAsync(() -> {
                            try (Connection c2 = db.open()) {
                                ((Counter) c2.root().get("n")).add(3);
                                tm.commit();
                            }
                        })
                        .join();
                tm.commit(); // conflicts, and is merged (in the storage, or here for mem:)
                tm.begin();
                assertThat(counter.get()).isEqualTo(8);
            }
        }
    }

    @Test
    void mvcc_longRunningReaderSeesOneSnapshot() throws Exception {
        try (Database db = Database.open("temp:")) {
            TransactionManager tm = db.transactionManager();
            try (Connection c = db.open()) {
                for (int i = 0; i < 10; i++) c.root().put("k" + i, c.add(new Item("v0", 0)));
                tm.commit();
            }
            CountDownLatch readerStarted = new CountDownLatch(1);
            CountDownLatch writersDone = new CountDownLatch(1);
            CompletableFuture<List<Integer>> reader = CompletableFuture.supplyAsync(() -> {
                try (Connection c = db.open()) {
                    return tm.readOnly(() -> {
                        List<Integer> seen = new ArrayList<>();
                        seen.add(((Item) c.root().get("k0")).qty()); // fixes nothing: the view is already at open
                        readerStarted.countDown();
                        writersDone.await();
                        for (int i = 0; i < 10; i++) seen.add(((Item) c.root().get("k" + i)).qty());
                        return seen;
                    });
                }
            });
            readerStarted.await();
            try (Connection c = db.open()) {
                for (int round = 1; round <= 5; round++) {
                    for (int i = 0; i < 10; i++) ((Item) c.root().get("k" + i)).qty(round);
                    tm.commit();
                }
            }
            writersDone.countDown();
            assertThat(reader.get()).containsOnly(0);
        }
    }

    @Test
    void readOnly_changeAndCommitRefused() {
        try (Database db = Database.open("temp:");
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            Item a = c.add(new Item("a", 1));
            c.root().put("a", a);
            tm.commit();
            tm.beginReadOnly();
            assertThat(a.qty()).isEqualTo(1);
            assertThatThrownBy(() -> a.qty(2))
                    .isInstanceOf(ReadOnlyException.class)
                    .hasMessageContaining("read-only")
                    .hasMessageContaining(Item.class.getName());
            assertThatThrownBy(tm::commit)
                    .isInstanceOf(ReadOnlyException.class)
                    .hasMessageContaining("read-only transaction");
            tm.abort();
            a.qty(2);
            tm.commit();
        }
    }

    @Test
    void hooks_beforeAndAfterCommitRun() {
        try (Database db = Database.open("temp:");
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            List<String> events = new ArrayList<>();
            Item a = c.add(new Item("a", 1));
            tm.current().addBeforeCommitHook(() -> {
                events.add("before");
                a.qty(10);
            });
            tm.current().addAfterCommitHook(ok -> events.add("after " + ok));
            tm.commit();
            assertThat(events).containsExactly("before", "after true");
            tm.begin();
            assertThat(a.qty()).isEqualTo(10);
        }
    }

    @Test
    void run_conflictRetriedOnFreshSnapshot() throws Exception {
        try (Database db = Database.open("temp:");
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            Item a = c.add(new Item("a", 0));
            c.root().put("a", a);
            tm.commit();
            AtomicInteger attempts = new AtomicInteger();
            tm.run(3, () -> {
                int n = attempts.incrementAndGet();
                int seen = a.qty();
                if (n == 1) {
                    CompletableFuture.runAsync(() -> {
                                try (Connection c2 = db.open()) {
                                    ((Item) c2.root().get("a")).qty(100);
                                    tm.commit();
                                }
                            })
                            .join();
                }
                a.qty(seen + 1);
            });
            assertThat(attempts.get()).isEqualTo(2);
            tm.begin();
            assertThat(a.qty()).isEqualTo(101);
        }
    }

    @Test
    void commit_plainConflict_reachesCallerAndLeavesNoTrace() throws Exception {
        try (Database db = Database.open("temp:");
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            Item a = c.add(new Item("a", 0));
            c.root().put("a", a);
            tm.commit();
            a.qty(1);
            CompletableFuture.runAsync(() -> {
                        try (Connection c2 = db.open()) {
                            ((Item) c2.root().get("a")).qty(2);
                            tm.commit();
                        }
                    })
                    .join();
            assertThatThrownBy(tm::commit)
                    .isInstanceOf(ConflictException.class)
                    .hasMessageContaining(Item.class.getName());
            assertThat(a.qty()).isEqualTo(2);
        }
    }

    @Test
    void mounts_mainAndTempCommittedTogether() {
        try (Database db = Database.builder()
                        .mount("main", "temp:")
                        .mount("temp", "temp:")
                        .open();
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            c.root().put("x", c.add(new Item("main-item", 1)));
            c.root("temp").put("session", c.add(new Item("temp-item", 2), "temp"));
            tm.commit();
            assertThat(db.storage("main").objectCount()).isEqualTo(2);
            assertThat(db.storage("temp").objectCount()).isEqualTo(2);
            Item s = (Item) c.root("temp").get("session");
            assertThat(s.name()).isEqualTo("temp-item");
            c.root().put("bad", s);
            assertThatThrownBy(tm::commit)
                    .isInstanceOf(ConnectionMisuseException.class)
                    .hasMessageContaining("storage 'temp'")
                    .hasMessageContaining("storage 'main'");
        }
    }

    @Test
    void mounts_conflictInOneStorage_leavesNoTraceInTheOther() throws Exception {
        try (Database db = Database.builder()
                        .mount("main", "temp:")
                        .mount("temp", "temp:")
                        .open();
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            Item m = c.add(new Item("main", 1));
            Item t = c.add(new Item("temp", 1), "temp");
            c.root().put("m", m);
            c.root("temp").put("t", t);
            tm.commit();
            long mainTid = db.storage("main").lastTid();
            m.qty(2);
            t.qty(2);
            CompletableFuture.runAsync(() -> {
                        try (Connection c2 = db.open()) {
                            ((Item) c2.root("temp").get("t")).qty(3);
                            tm.commit();
                        }
                    })
                    .join();
            assertThatThrownBy(tm::commit)
                    .isInstanceOf(ConflictException.class)
                    .hasMessageContaining(Item.class.getName());
            assertThat(db.storage("main").lastTid()).isEqualTo(mainTid); // main voted nothing to disk
            assertThat(m.qty()).isEqualTo(1);
            assertThat(t.qty()).isEqualTo(3);
        }
    }
}
