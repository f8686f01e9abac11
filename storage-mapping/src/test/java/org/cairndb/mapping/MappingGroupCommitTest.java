package org.cairndb.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.conformance.Records;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit on a persisted {@code mem:}: writers committing at the same time share journal
 * forces, and a finished commit is visible (and its listeners told) in tid order, never
 * before its force.
 */
class MappingGroupCommitTest {
    private static final int WRITERS = 4;
    private static final int COMMITS = 150;

    @TempDir
    Path dir;

    @Test
    void concurrentWriters_shareForces_andEachFinishedCommitIsVisible() throws Exception {
        Path file = dir.resolve("group.cairn");
        AtomicLongArray last = new AtomicLongArray(WRITERS);
        List<Long> heard = new ArrayList<>();
        long commits;
        long forces;
        long[] oids;
        try (MappingStorage s = MappingStorage.persisted("group", file, 10_000, 64)) {
            s.addCommitListener((tid, changed) -> {
                synchronized (heard) {
                    // told only once published: a new view already sees it
                    assertThat(s.lastTid()).isGreaterThanOrEqualTo(tid);
                    heard.add(tid);
                }
            });
            oids = s.newOids(WRITERS);
            long forcesBefore = s.journalForces();
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            CyclicBarrier go = new CyclicBarrier(WRITERS);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int me = w;
                long[] mine = oids;
                done.add(pool.submit(() -> {
                    go.await();
                    long readTid = Tid.ZERO;
                    for (int i = 1; i <= COMMITS; i++) {
                        StorageTransaction t = s.begin(TransactionMetadata.of("w" + me, "commit " + i));
                        t.store(mine[me], readTid, Records.counter(i));
                        t.vote();
                        readTid = t.finish();
                        last.set(me, i);
                        // acknowledged means visible: a view opened now sees this commit
                        try (StorageView v = s.openView()) {
                            assertThat(Records.counterValue(v.load(mine[me]).data()))
                                    .isEqualTo(i);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(120, TimeUnit.SECONDS);
            pool.shutdown();
            commits = (long) WRITERS * COMMITS;
            forces = s.journalForces() - forcesBefore;
            synchronized (heard) {
                assertThat(heard).hasSize((int) commits);
                assertThat(heard).as("listeners hear commits in tid order").isSorted();
            }
        }
        System.out.println("group commit: " + commits + " commits, " + forces + " journal forces");
        assertThat(forces)
                .as("journal forces for %d concurrent commits", commits)
                .isLessThan(commits)
                .isPositive();
        try (MappingStorage s = MappingStorage.persisted("group", file, 10_000, 64)) {
            for (int w = 0; w < WRITERS; w++) {
                assertThat(Records.counterValue(s.load(oids[w]).data()))
                        .as("writer %d after reopen", w)
                        .isEqualTo(last.get(w));
            }
        }
    }
}
