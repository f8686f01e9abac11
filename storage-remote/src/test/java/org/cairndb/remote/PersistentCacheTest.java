package org.cairndb.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The persistent cache level when the working set is larger than it: bounded, the least
 * recently used records go, what stays is exactly what was put, and all of it survives a
 * restart with a full file.
 */
class PersistentCacheTest {
    private static final int CAPACITY = 1000;
    private static final String ID = "cairn://test:1/main";

    private static CachedRecord record(long oid, long tid) {
        byte[] data = new byte[100 + (int) (oid % 50)];
        ByteBuffer.wrap(data).putLong(oid).putLong(tid);
        return new CachedRecord(oid, tid, data);
    }

    private static void assertExact(CachedRecord got, long oid, long tid) {
        assertThat(got.oid()).isEqualTo(oid);
        assertThat(got.tid()).isEqualTo(tid);
        assertThat(got.data()).isEqualTo(record(oid, tid).data());
    }

    private static PersistentCache open(Path file) {
        return new PersistentCache(file, CAPACITY, 150, ID);
    }

    @Test
    void put_workingSetFiveTimesCapacity_staysBoundedAndCorrect(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.cache");
        PersistentCache c = open(file);
        try {
            c.put(record(1, 1));
            long sizeAtStart = Files.size(file);
            for (long oid = 1; oid <= 5 * CAPACITY; oid++) {
                c.put(record(oid, 10 + oid));
                assertThat(c.size()).isLessThanOrEqualTo(CAPACITY);
            }
            assertThat(c.evicted()).isGreaterThanOrEqualTo(4L * CAPACITY);
            assertThat(Files.size(file)).as("the file does not grow").isEqualTo(sizeAtStart);
            int present = 0;
            for (long oid = 1; oid <= 5 * CAPACITY; oid++) {
                CachedRecord r = c.get(oid);
                if (r != null) {
                    assertExact(r, oid, 10 + oid);
                    present++;
                }
            }
            assertThat(present).isEqualTo((int) c.size()).isGreaterThan(CAPACITY / 2);
            // the newest records are the ones kept
            for (long oid = 5 * CAPACITY - 100; oid <= 5 * CAPACITY; oid++)
                assertThat(c.get(oid)).isNotNull();
        } finally {
            c.close();
        }
    }

    @Test
    void get_hotRecordsSurviveSweeps_coldOnesGo(@TempDir Path dir) {
        PersistentCache c = open(dir.resolve("c.cache"));
        try {
            for (long oid = 1; oid <= 100; oid++) c.put(record(oid, 1));
            for (long oid = 1000; oid < 1000 + 4 * CAPACITY; oid++) {
                c.put(record(oid, 2));
                c.get(1 + oid % 100); // the hot set is read all along
            }
            for (long oid = 1; oid <= 100; oid++) assertExact(c.get(oid), oid, 1);
            assertThat(c.get(1000)).as("an old record read never since").isNull();
        } finally {
            c.close();
        }
    }

    @Test
    void reopen_fullCache_keepsRecordsTidAndRecency_andGoesOnEvicting(@TempDir Path dir) {
        Path file = dir.resolve("c.cache");
        PersistentCache c = open(file);
        for (long oid = 1; oid <= 3 * CAPACITY; oid++) c.put(record(oid, oid));
        c.setLastTid(777);
        long kept = c.size();
        c.close();

        PersistentCache again = open(file);
        try {
            assertThat(again.lastTid()).isEqualTo(777);
            assertThat(again.size()).isEqualTo(kept);
            for (long oid = 3 * CAPACITY - 50; oid <= 3 * CAPACITY; oid++) assertExact(again.get(oid), oid, oid);
            for (long oid = 10_000; oid < 10_000 + 2 * CAPACITY; oid++) {
                again.put(record(oid, oid));
                assertThat(again.size()).isLessThanOrEqualTo(CAPACITY);
            }
            assertExact(again.get(10_000 + 2 * CAPACITY - 1), 10_000 + 2 * CAPACITY - 1, 10_000 + 2 * CAPACITY - 1);
            assertThat(again.get(1)).isNull();
        } finally {
            again.close();
        }
    }

    @Test
    void reopen_smallerBudget_evictsDownAtOnce(@TempDir Path dir) {
        Path file = dir.resolve("c.cache");
        PersistentCache c = open(file);
        for (long oid = 1; oid <= CAPACITY; oid++) c.put(record(oid, oid));
        c.close();
        PersistentCache small = new PersistentCache(file, CAPACITY / 4, 150, ID);
        try {
            assertThat(small.size()).isLessThanOrEqualTo(CAPACITY / 4);
            assertExact(small.get(CAPACITY), CAPACITY, CAPACITY);
        } finally {
            small.close();
        }
    }

    @Test
    void invalidate_and_clear_afterEvictions_dropOnlyWhatTheySay(@TempDir Path dir) {
        PersistentCache c = open(dir.resolve("c.cache"));
        try {
            for (long oid = 1; oid <= 2 * CAPACITY; oid++) c.put(record(oid, 5));
            long oid = 2 * CAPACITY;
            c.invalidate(oid, 5); // not older than tid 5: kept
            assertExact(c.get(oid), oid, 5);
            c.invalidate(oid, 6);
            assertThat(c.get(oid)).isNull();
            c.setLastTid(6);
            c.clear();
            assertThat(c.size()).isZero();
            assertThat(c.lastTid()).isEqualTo(6);
            c.put(record(3, 7));
            assertExact(c.get(3), 3, 7);
        } finally {
            c.close();
        }
    }
}
