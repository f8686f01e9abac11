package org.cairndb.client.collections;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.TransactionManager;
import org.junit.jupiter.api.Test;

class TimeBucketedCounterTest {
    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void mostCounted_topKeysOverTimeRange() {
        try (Database db = Database.open("temp:");
                Connection c = db.open()) {
            TimeBucketedCounter<String> views = new TimeBucketedCounter<>(Duration.ofHours(1), 4);
            c.root().put("views", views);
            views.count("dune", T0, 5);
            views.count("emma", T0, 3);
            views.count("emma", T0.plus(Duration.ofHours(2)), 10);
            views.count("ulysses", T0.plus(Duration.ofHours(1)), 4);
            db.transactionManager().commit();
            c.cacheMinimize();
            assertThat(views.mostCounted(T0, T0.plus(Duration.ofHours(2)), 2))
                    .containsExactly(Map.entry("dune", 5L), Map.entry("ulysses", 4L));
            assertThat(views.mostCounted(T0, T0.plus(Duration.ofDays(1)), 1)).containsExactly(Map.entry("emma", 13L));
            assertThat(views.total("emma")).isEqualTo(13);
            assertThat(views.count("emma", T0, T0.plus(Duration.ofHours(1)))).isEqualTo(3);
            db.transactionManager().abort();
        }
    }

    /** Records written under the old name still load, as a TimeBucketedCounter, and keep counting. */
    @Test
    @SuppressWarnings({"deprecation", "unchecked"})
    void formerViewCounter_loadsAndCountsAsTimeBucketedCounter() {
        try (Database db = Database.open("temp:")) {
            try (Connection c = db.open()) {
                ViewCounter<String> old = new ViewCounter<>(Duration.ofHours(1), 4);
                c.root().put("views", old);
                old.count("dune", T0, 2);
                db.transactionManager().commit();
            }
            try (Connection c = db.open()) {
                TimeBucketedCounter<String> loaded =
                        (TimeBucketedCounter<String>) c.root().get("views");
                loaded.count("dune", T0, 3);
                db.transactionManager().commit();
                c.cacheMinimize();
                assertThat(loaded.total("dune")).isEqualTo(5);
                assertThat(((ViewCounter<String>) loaded).mostViewed(T0, T0.plusSeconds(3600), 1))
                        .containsExactly(Map.entry("dune", 5L));
                db.transactionManager().abort();
            }
        }
    }

    @Test
    void count_manyWritersOneKey_neverConflictsOnResolvingStorage() throws Exception {
        int threads = 4, per = 25;
        try (Database db = Database.open("temp:")) {
            TransactionManager tm = db.transactionManager();
            try (Connection c = db.open()) {
                c.root().put("views", new TimeBucketedCounter<String>());
                tm.commit();
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CyclicBarrier go = new CyclicBarrier(threads);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    try (Connection c = db.open()) {
                        @SuppressWarnings("unchecked")
                        TimeBucketedCounter<String> v =
                                (TimeBucketedCounter<String>) c.root().get("views");
                        tm.abort();
                        go.await();
                        for (int i = 0; i < per; i++) {
                            tm.run(1, () -> v.count("hot-video", T0, 1)); // one attempt: a conflict would fail the test
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
            pool.shutdown();
            try (Connection c = db.open()) {
                @SuppressWarnings("unchecked")
                TimeBucketedCounter<String> v =
                        (TimeBucketedCounter<String>) c.root().get("views");
                assertThat(v.total("hot-video")).isEqualTo((long) threads * per);
                tm.abort();
            }
        }
    }
}
