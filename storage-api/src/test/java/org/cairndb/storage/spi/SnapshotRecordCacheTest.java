package org.cairndb.storage.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cairndb.storage.spi.SnapshotRecordCache.Commit;
import org.junit.jupiter.api.Test;

/** The rules of {@link SnapshotRecordCache} one at a time (the concurrent MVCC property runs over PostgreSQL: SharedRecordCachePropertyTest). */
class SnapshotRecordCacheTest {
    private static byte[] data(int n) {
        return new byte[] {(byte) n};
    }

    @Test
    void anOpenEntryServesOnlySnapshotsTheCacheHasHeardOf() {
        SnapshotRecordCache c = new SnapshotRecordCache(1 << 20);
        c.invalidate(10, 10, List.of()); // knows up to 10
        c.put(1, 5, data(5), 10);
        assertThat(c.get(1, 10).tid()).isEqualTo(5);
        assertThat(c.get(1, 7).tid()).isEqualTo(5);
        assertThat(c.get(1, 4)).as("older than the revision").isNull();
        assertThat(c.get(1, 11)).as("a commit in (10, 11] may have replaced it").isNull();
        c.invalidate(10, 12, List.of(new Commit(12, new long[] {2})));
        assertThat(c.get(1, 12).tid()).as("tid 12 did not touch oid 1").isEqualTo(5);
    }

    @Test
    void anInvalidationClosesTheEntryButOlderSnapshotsStillReadIt() {
        SnapshotRecordCache c = new SnapshotRecordCache(1 << 20);
        c.invalidate(10, 10, List.of());
        c.put(1, 5, data(5), 10);
        c.invalidate(10, 20, List.of(new Commit(15, new long[] {1})));
        assertThat(c.get(1, 20)).as("replaced at 15").isNull();
        assertThat(c.get(1, 10).tid()).as("a view still at 10").isEqualTo(5);
    }

    @Test
    void aCompleteCommitStreamEndsAnEntryExactlyAtTheCommitThatChangedIt() {
        SnapshotRecordCache c = new SnapshotRecordCache(1 << 20);
        c.invalidate(10, 10, List.of());
        c.put(1, 5, data(5), 10);
        c.invalidate(10, 20, List.of(new Commit(15, new long[] {1})), true);
        assertThat(c.get(1, 14).tid()).as("a view at 14 still reads revision 5").isEqualTo(5);
        assertThat(c.get(1, 15)).isNull();
        SnapshotRecordCache pruned = new SnapshotRecordCache(1 << 20);
        pruned.invalidate(10, 10, List.of());
        pruned.put(1, 5, data(5), 10);
        pruned.invalidate(10, 20, List.of(new Commit(15, new long[] {1}))); // may group earlier changes under 15
        assertThat(pruned.get(1, 14)).as("the change may have been at 11").isNull();
        assertThat(pruned.get(1, 10).tid()).isEqualTo(5);
    }

    @Test
    void aLoadAtASnapshotOlderThanABatchBeingAppliedIsClosedAtThatSnapshot() {
        SnapshotRecordCache c = new SnapshotRecordCache(1 << 20);
        c.invalidate(10, 10, List.of());
        c.invalidate(10, 20, List.of(new Commit(15, new long[] {1}))); // the batch came first
        c.put(1, 5, data(5), 12); // a view at 12 read revision 5: it must not become "current"
        assertThat(c.get(1, 20)).isNull();
        assertThat(c.get(1, 12).tid()).isEqualTo(5);
    }

    @Test
    void aGapInTheCommitStreamClosesEveryOpenEntry() {
        SnapshotRecordCache c = new SnapshotRecordCache(1 << 20);
        c.invalidate(10, 10, List.of());
        c.put(1, 5, data(5), 10);
        c.invalidate(30, 40, List.of()); // (10, 30] never told
        assertThat(c.knownTid()).isEqualTo(40);
        assertThat(c.get(1, 40)).isNull();
        assertThat(c.get(1, 10).tid()).isEqualTo(5);
    }

    @Test
    void aBatchAppliedAlreadyIsSkipped() {
        SnapshotRecordCache c = new SnapshotRecordCache(1 << 20);
        c.invalidate(10, 20, List.of());
        c.put(1, 15, data(15), 20);
        c.invalidate(10, 20, List.of(new Commit(15, new long[] {1}))); // another feeder, same range
        assertThat(c.get(1, 20).tid()).isEqualTo(15);
    }

    @Test
    void anOlderRevisionDoesNotDisplaceANewerOne() {
        SnapshotRecordCache c = new SnapshotRecordCache(1 << 20);
        c.invalidate(20, 20, List.of());
        c.put(1, 15, data(15), 20);
        c.put(1, 5, data(5), 12);
        assertThat(c.get(1, 20).tid()).isEqualTo(15);
        assertThat(c.get(1, 12)).isNull();
    }

    @Test
    void staysWithinItsBudgetAndKeepsWhatIsRead() {
        SnapshotRecordCache c = new SnapshotRecordCache(64 * 1024);
        c.invalidate(1, 1, List.of());
        c.put(0, 1, new byte[1000], 1);
        for (long oid = 1; oid < 1000; oid++) {
            c.put(oid, 1, new byte[1000], 1);
            assertThat(c.get(0, 1)).as("read before each put: oid 0 stays").isNotNull();
        }
        assertThat(c.bytes()).isLessThanOrEqualTo(64 * 1024);
        assertThat(c.size()).isGreaterThan(40);
    }

    @Test
    void clearForgetsWhatItKnew() {
        SnapshotRecordCache c = new SnapshotRecordCache(1 << 20);
        c.invalidate(10, 10, List.of());
        c.put(1, 5, data(5), 10);
        c.clear();
        assertThat(c.knownTid()).isZero();
        assertThat(c.get(1, 10)).isNull();
        assertThat(c.bytes()).isZero();
    }
}
