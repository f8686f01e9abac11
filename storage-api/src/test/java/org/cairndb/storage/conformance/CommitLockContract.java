package org.cairndb.storage.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.cairndb.storage.Capability;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.Oid;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The commit lock: taken at vote, released by finish or abort (from any thread); a second vote
 * on the same object waits for the first transaction to end and then sees its outcome; on
 * single-writer storages every vote waits, woken by the release in order of arrival. Nothing
 * here measures time: a blocked thread is observed parked, and a hang fails by deadline.
 * (ZODB's BasicStorage.check_tid_ordering_w_commit, MTStorage.)
 */
public interface CommitLockContract extends StorageContract {

    private static StorageTransaction votedOn(Storage s, long oid, long readTid, String text) {
        StorageTransaction t = s.begin(TransactionMetadata.of("kit", text));
        t.store(oid, readTid, Records.object(text));
        t.vote();
        return t;
    }

    private static Threads.Task<Long> commitInThread(Storage s, String name, long oid, long readTid) {
        return Threads.start(name, () -> {
            StorageTransaction t = s.begin(TransactionMetadata.of("kit", name));
            t.store(oid, readTid, Records.object(name));
            try {
                t.vote();
            } catch (RuntimeException e) {
                t.abort();
                throw e;
            }
            return t.finish();
        });
    }

    @Test
    default void secondVoteOnSameObject_waitsForFirstFinish_thenConflicts(Storage s) {
        long t0 = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("base"));
        StorageTransaction first = votedOn(s, Oid.ROOT, t0, "first");
        Threads.Task<Long> second = commitInThread(s, "second", Oid.ROOT, t0);
        if (!s.supports(Capability.MULTI_WRITER))
            assertThat(Threads.awaitBlocked(second)).isTrue();
        assertThat(second.isDone())
                .as("second vote returned while the first held the lock")
                .isFalse();
        long t1 = first.finish();
        Throwable e = second.failure();
        assertThat(e).isInstanceOf(ConflictException.class);
        assertThat(((ConflictException) e).currentTid()).isEqualTo(t1);
        assertThat(Records.text(s.load(Oid.ROOT).data())).isEqualTo("first");
    }

    @Test
    default void secondVoteOnSameObject_waitsForFirstAbort_thenCommits(Storage s) {
        long t0 = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("base"));
        StorageTransaction first = votedOn(s, Oid.ROOT, t0, "first");
        Threads.Task<Long> second = commitInThread(s, "second", Oid.ROOT, t0);
        if (!s.supports(Capability.MULTI_WRITER))
            assertThat(Threads.awaitBlocked(second)).isTrue();
        assertThat(second.isDone()).isFalse();
        first.abort(); // the release wakes the waiter; the first left no trace, so no conflict
        long t2 = second.join();
        assertThat(t2).isGreaterThan(t0);
        assertThat(Records.text(s.load(Oid.ROOT).data())).isEqualTo("second");
    }

    @Test
    default void releaseFromAnotherThread_wakesWaiter(Storage s) {
        long t0 = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("base"));
        StorageTransaction first = votedOn(s, Oid.ROOT, t0, "first");
        Threads.Task<Long> second = commitInThread(s, "second", Oid.ROOT, t0);
        if (!s.supports(Capability.MULTI_WRITER)) Threads.awaitBlocked(second);
        Threads.start("aborter", () -> {
                    first.abort();
                    return null;
                })
                .join();
        assertThat(second.join()).isGreaterThan(t0);
    }

    @Test
    default void singleWriter_disjointVotesSerialized_tidOrderFollowsLock(Storage s) {
        Assumptions.assumeFalse(
                s.supports(Capability.MULTI_WRITER),
                "multi-writer storages let disjoint transactions vote at once; only same-object votes wait");
        long[] oids = s.newOids(2);
        StorageTransaction first = votedOn(s, oids[0], Tid.ZERO, "first");
        Threads.Task<Long> second = commitInThread(s, "second", oids[1], Tid.ZERO);
        assertThat(Threads.awaitBlocked(second))
                .as("the second vote must wait for the commit lock")
                .isTrue();
        assertThat(second.isDone()).isFalse();
        long t1 = first.finish();
        assertThat(second.join()).isGreaterThan(t1);
    }

    @Test
    default void singleWriter_waitersServedInArrivalOrder(Storage s) {
        Assumptions.assumeFalse(
                s.supports(Capability.MULTI_WRITER), "multi-writer storages have no single commit queue");
        long[] oids = s.newOids(5);
        StorageTransaction holder = votedOn(s, oids[0], Tid.ZERO, "holder");
        List<Threads.Task<Long>> waiters = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            Threads.Task<Long> w = commitInThread(s, "waiter-" + i, oids[i], Tid.ZERO);
            assertThat(Threads.awaitBlocked(w)).isTrue(); // queued before the next one starts
            waiters.add(w);
        }
        long previous = holder.finish();
        for (Threads.Task<Long> w : waiters) {
            long tid = w.join();
            assertThat(tid)
                    .as("%s committed out of arrival order", w.thread.getName())
                    .isGreaterThan(previous);
            previous = tid;
        }
    }

    @Test
    default void failedVote_releasesLockForWaiter(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("a1"));
        Kit.update(s, a[0], Records.object("a2"));
        long[] b = Kit.commitNew(s, Records.object("b"));
        // t fails at vote (stale a); a waiter on b must get through
        StorageTransaction holder = votedOn(s, b[0], b[1], "holder");
        Threads.Task<Throwable> failing = Threads.start("failing", () -> {
            StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
            return Kit.storeAndVoteFailure(t, () -> t.store(a[0], a[1], Records.object("stale")));
        });
        if (!s.supports(Capability.MULTI_WRITER)) Threads.awaitBlocked(failing);
        Threads.Task<Long> next = commitInThread(s, "next", a[0], s.load(a[0]).tid());
        holder.finish();
        assertThat(failing.join()).isInstanceOf(ConflictException.class);
        assertThat(next.join()).isGreaterThan(b[1]);
        assertThat(Records.text(s.load(a[0]).data())).isEqualTo("next");
    }

    @Test
    default void manyThreadsCommitting_tidsUniqueAndIncreasingInFinishOrder(Storage s) {
        int threads = 4;
        List<Threads.Task<List<Long>>> tasks = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            tasks.add(Threads.start("committer-" + i, () -> {
                List<Long> mine = new ArrayList<>();
                long oid = s.newOids(1)[0];
                long read = Tid.ZERO;
                for (int n = 0; n < 50; n++) {
                    read = Kit.commit(s, oid, read, Records.object("n" + n));
                    mine.add(read);
                }
                return mine;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Threads.Task<List<Long>> t : tasks) {
            List<Long> mine = t.join();
            assertThat(mine).isSorted().doesNotHaveDuplicates();
            all.addAll(mine);
        }
        assertThat(all).doesNotHaveDuplicates().hasSize(threads * 50);
        assertThat(s.lastTid())
                .isEqualTo(all.stream().mapToLong(Long::longValue).max().orElseThrow());
    }
}
