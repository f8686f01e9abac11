package org.cairndb.storage.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.cairndb.storage.Oid;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;
import org.junit.jupiter.api.Test;

/**
 * Tids: ZODB TimeStamps chosen at commit, so a tid reads as the UTC time of its commit; always
 * greater than the last, even when the last lies in the future (the clock went back, or data
 * was imported from a faster clock).
 */
public interface TidContract extends StorageContract {

    @Test
    default void commitTid_readsAsCommitTime(Storage s) {
        Instant before = Instant.now();
        long tid = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("x"));
        Instant after = Instant.now();
        // a minute of slack for a storage whose clock (a database server's) differs a little
        assertThat(Tid.toInstant(tid))
                .isBetween(before.minus(Duration.ofMinutes(1)), after.plus(Duration.ofMinutes(1)));
    }

    @Test
    default void tids_strictlyIncrease_evenWithinOneClockTick(Storage s) {
        long last = Tid.ZERO;
        for (int i = 0; i < 200; i++) {
            long tid = Kit.commit(s, Oid.ROOT, last, Records.object("v" + i));
            assertThat(tid).isGreaterThan(last);
            last = tid;
        }
    }

    @Test
    default void lastTidInFuture_nextCommitStillGreater(Storage s) {
        long future = Tid.of(Instant.now().plus(Duration.ofDays(3650)));
        s.restore(new TransactionRecord(
                future, false, TransactionMetadata.EMPTY, List.of(Revision.of(Oid.ROOT, future, Records.object("f")))));
        long a = Kit.update(s, Oid.ROOT, Records.object("a"));
        long b = Kit.update(s, Oid.ROOT, Records.object("b"));
        assertThat(a).isGreaterThan(future);
        assertThat(b).isGreaterThan(a);
        assertThat(s.lastTid()).isEqualTo(b);
    }

    @Test
    default void lastTid_isTheGreatestIteratedTid(Storage s) {
        for (int i = 0; i < 5; i++) Kit.commitNew(s, Records.object("o" + i));
        List<TransactionRecord> all = Kit.transactions(s);
        assertThat(s.lastTid()).isEqualTo(all.get(all.size() - 1).tid());
        assertThat(all).extracting(TransactionRecord::tid).isSorted().doesNotHaveDuplicates();
    }
}
