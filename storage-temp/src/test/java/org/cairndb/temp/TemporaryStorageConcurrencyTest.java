package org.cairndb.temp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.conflict.ResolverRegistry;
import org.cairndb.storage.conformance.Kit;
import org.cairndb.storage.conformance.Records;
import org.cairndb.storage.conformance.TestCounterResolver;
import org.junit.jupiter.api.Test;

/** Many writers and readers at once: no lost update, snapshots stay consistent, memory flat. */
class TemporaryStorageConcurrencyTest {

    @Test
    void hotCounter_manyWritersWithResolution_losesNoIncrement() throws Exception {
        try (TemporaryStorage s = new TemporaryStorage("hot", new ResolverRegistry().add(new TestCounterResolver()))) {
            long oid = s.newOids(1)[0];
            Kit.commit(s, oid, Tid.ZERO, Records.counter(0));
            int threads = 4;
            int each = 5000;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                fs.add(pool.submit(() -> {
                    start.await();
                    for (int k = 0; k < each; k++) {
                        try (StorageView v = s.openView()) {
                            Loaded l = v.load(oid);
                            StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
                            t.store(oid, l.tid(), Records.counter(Records.counterValue(l.data()) + 1));
                            t.vote();
                            t.finish();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : fs) f.get();
            pool.shutdown();
            assertThat(Records.counterValue(s.load(oid).data())).isEqualTo((long) threads * each);
            assertThat(s.revisionCount()).isEqualTo(1);
            assertThat(s.openViews()).isZero();
        }
    }

    @Test
    void snapshots_underConcurrentCommits_seeWholeTransactionsOnly() throws Exception {
        try (TemporaryStorage s = new TemporaryStorage("snap", new ResolverRegistry())) {
            long[] oids = s.newOids(3);
            StorageTransaction t0 = s.begin(TransactionMetadata.EMPTY);
            for (long o : oids) t0.store(o, Tid.ZERO, Records.counter(0));
            t0.vote();
            t0.finish();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            Future<?> writer = pool.submit(() -> {
                for (int i = 1; i <= 20_000; i++) {
                    StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
                    for (long o : oids) t.store(o, s.load(o).tid(), Records.counter(i));
                    t.vote();
                    t.finish();
                }
                stop.set(true);
                return null;
            });
            List<Future<Long>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    long checks = 0;
                    while (!stop.get()) {
                        try (StorageView v = s.openView()) {
                            long first = Records.counterValue(v.load(oids[0]).data());
                            for (long o : oids)
                                assertThat(Records.counterValue(v.load(o).data()))
                                        .isEqualTo(first);
                            v.sync();
                            long again = Records.counterValue(v.load(oids[2]).data());
                            for (long o : oids)
                                assertThat(Records.counterValue(v.load(o).data()))
                                        .isEqualTo(again);
                            checks++;
                        }
                        long plain = Records.counterValue(s.load(oids[1]).data());
                        assertThat(plain).isBetween(0L, 20_000L);
                    }
                    return checks;
                }));
            }
            writer.get();
            for (Future<Long> f : readers) assertThat(f.get()).isPositive();
            pool.shutdown();
            assertThat(s.openViews()).isZero();
            assertThat(s.revisionCount()).isEqualTo(3);
        }
    }
}
