package org.cairndb.client.collections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.TransactionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShardedCounterTest {
    @Test
    void value_isTheSumOfEveryShard_andSurvivesReload() {
        try (Database db = Database.open("temp:");
                Connection c = db.open()) {
            ShardedCounter n = new ShardedCounter(4);
            c.root().put("n", n);
            n.add(5);
            n.increment();
            n.decrement();
            n.add(-2);
            assertThat(n.get()).as("own changes before commit").isEqualTo(3);
            db.transactionManager().commit();
            c.cacheMinimize();
            assertThat(((ShardedCounter) c.root().get("n")).get()).isEqualTo(3);
            assertThat(n.shardCount()).isEqualTo(4);
            db.transactionManager().abort();
        }
    }

    @Test
    void shardCount_outOfRange_isRefusedWithTheRange() {
        assertThatThrownBy(() -> new ShardedCounter(0)).hasMessageContaining("1..4096");
    }

    /**
     * Fewer writers than shards: each thread of a process has its own shard, so no increment
     * ever conflicts, even on a storage that only detects conflicts (one attempt each).
     */
    @ParameterizedTest
    @ValueSource(strings = {"temp:", "mem:"})
    void writersOnTheirOwnShards_neverConflict(String uri) throws Exception {
        long[] shards = hammer(uri, 4, 16, 50, 1);
        assertThat(java.util.Arrays.stream(shards).sum()).isEqualTo(4 * 50);
        // each writer had a record of its own: four shards of 50, none shared
        assertThat(java.util.Arrays.stream(shards).filter(v -> v != 0)).containsExactly(50L, 50L, 50L, 50L);
    }

    /** More writers than shards: they meet, conflicts are resolved by adding, and the sum stays exact. */
    @ParameterizedTest
    @ValueSource(strings = {"temp:", "mem:"})
    void writersMeetingOnAShard_stillCountExactly(String uri) throws Exception {
        long[] shards = hammer(uri, 6, 2, 40, 1000);
        assertThat(java.util.Arrays.stream(shards).sum()).isEqualTo(6 * 40);
    }

    /** {@code threads} writers each commit {@code per} increments (each its own transaction, {@code attempts} tries); each shard's final value. */
    private static long[] hammer(String uri, int threads, int shards, int per, int attempts) throws Exception {
        try (Database db = Database.open(uri)) {
            TransactionManager tm = db.transactionManager();
            try (Connection c = db.open()) {
                c.root().put("n", new ShardedCounter(shards));
                tm.commit();
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CyclicBarrier go = new CyclicBarrier(threads);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    try (Connection c = db.open()) {
                        ShardedCounter n = (ShardedCounter) c.root().get("n");
                        tm.abort();
                        go.await();
                        for (int i = 0; i < per; i++) tm.run(attempts, n::increment);
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
            pool.shutdown();
            try (Connection c = db.open()) {
                ShardedCounter n = (ShardedCounter) c.root().get("n");
                long[] v = n.shardValues();
                assertThat(n.get()).isEqualTo(java.util.Arrays.stream(v).sum());
                tm.abort();
                return v;
            }
        }
    }
}
