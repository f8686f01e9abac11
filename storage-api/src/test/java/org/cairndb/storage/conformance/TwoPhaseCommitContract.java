package org.cairndb.storage.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.Oid;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.junit.jupiter.api.Test;

/**
 * Two-phase commit: an abort (before or after vote) and a failed vote leave no trace; nothing
 * is visible before finish and all of it after; finish is atomic for concurrent readers;
 * transactions that are merely begun lock nothing. (ZODB's BasicStorage checkAbortAfterVote,
 * checkWriteAfterAbort, Synchronization, and racetest's atomicity invariant.)
 */
public interface TwoPhaseCommitContract extends StorageContract {

    private static void assertUntouched(Storage s, long lastTid, long oid, String expectedText) {
        assertThat(s.lastTid()).isEqualTo(lastTid);
        if (expectedText == null) {
            assertThatThrownBy(() -> s.load(oid)).isInstanceOf(PosKeyException.class);
        } else {
            assertThat(Records.text(s.load(oid).data())).isEqualTo(expectedText);
        }
    }

    @Test
    default void abort_beforeVote_leavesNoTrace(Storage s) {
        long[] oids = s.newOids(2);
        StorageTransaction t = s.begin(TransactionMetadata.of("kit", "to abort"));
        t.store(oids[0], Tid.ZERO, Records.object("never"));
        t.store(oids[1], Tid.ZERO, Records.object("never"));
        t.abort();
        assertThat(t.state()).isEqualTo(StorageTransaction.State.ABORTED);
        assertUntouched(s, Tid.ZERO, oids[0], null);
        assertThat(Kit.transactions(s)).isEmpty();
        assertThat(s.objectCount()).isZero();
    }

    @Test
    default void abort_afterVote_leavesNoTraceAndNextCommitWorks(Storage s) {
        long[] first = Kit.commitNew(s, Records.object("kept"));
        StorageTransaction t = s.begin(TransactionMetadata.of("kit", "voted then aborted"));
        t.store(first[0], first[1], Records.object("dropped"));
        long oid2 = s.newOids(1)[0];
        t.store(oid2, Tid.ZERO, Records.object("dropped too"));
        t.vote();
        t.abort();
        assertThat(t.state()).isEqualTo(StorageTransaction.State.ABORTED);
        assertUntouched(s, first[1], first[0], "kept");
        assertThatThrownBy(() -> s.load(oid2)).isInstanceOf(PosKeyException.class);
        assertThat(Kit.transactions(s)).hasSize(1);
        // The commit lock was released: the next transaction commits (in this same thread).
        long tid = Kit.commit(s, first[0], first[1], Records.object("next"));
        assertThat(tid).isGreaterThan(first[1]);
        assertThat(Records.text(s.load(first[0]).data())).isEqualTo("next");
    }

    @Test
    default void abort_isIdempotentAndHarmlessAfterFinish(Storage s) {
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.store(Oid.ROOT, Tid.ZERO, Records.object("x"));
        t.abort();
        t.abort();
        assertThat(t.state()).isEqualTo(StorageTransaction.State.ABORTED);
        StorageTransaction u = s.begin(TransactionMetadata.EMPTY);
        u.store(Oid.ROOT, Tid.ZERO, Records.object("y"));
        u.vote();
        long tid = u.finish();
        u.abort(); // after finish: no effect
        assertThat(u.state()).isEqualTo(StorageTransaction.State.FINISHED);
        assertThat(s.load(Oid.ROOT).tid()).isEqualTo(tid);
        assertThat(Records.text(s.load(Oid.ROOT).data())).isEqualTo("y");
    }

    @Test
    default void voteFailure_conflict_leavesNoTraceOfOtherStores(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("a1"));
        long[] b = Kit.commitNew(s, Records.object("b1"));
        Kit.commit(s, b[0], b[1], Records.object("b2")); // makes b[1] stale
        long last = s.lastTid();
        long fresh = s.newOids(1)[0];
        StorageTransaction t = s.begin(TransactionMetadata.of("kit", "fails at vote"));
        Throwable thrown = Kit.storeAndVoteFailure(t, () -> {
            t.store(a[0], a[1], Records.object("a2 must not appear"));
            t.store(fresh, Tid.ZERO, Records.object("must not appear"));
            t.store(b[0], b[1], Records.object("b stale"));
        });
        assertThat(thrown).isInstanceOf(ConflictException.class);
        t.abort();
        assertThat(t.state()).isEqualTo(StorageTransaction.State.ABORTED);
        assertUntouched(s, last, a[0], "a1");
        assertUntouched(s, last, b[0], "b2");
        assertThatThrownBy(() -> s.load(fresh)).isInstanceOf(PosKeyException.class);
        assertThat(Kit.transactions(s)).allSatisfy(r -> assertThat(r.tid()).isLessThanOrEqualTo(last));
    }

    @Test
    default void voteFailure_releasesCommitLock(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("a1"));
        Kit.commit(s, a[0], a[1], Records.object("a2"));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        Kit.storeAndVoteFailure(t, () -> t.store(a[0], a[1], Records.object("stale")));
        // Another thread commits: it would hang on a commit lock the failed vote kept.
        Threads.Task<Long> other = Threads.start("committer", () -> Kit.update(s, a[0], Records.object("a3")));
        long tid = other.join();
        assertThat(s.load(a[0]).tid()).isEqualTo(tid);
    }

    @Test
    default void writeAfterAbort_works(Storage s) {
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.store(Oid.ROOT, Tid.ZERO, Records.object("aborted"));
        t.abort();
        long tid = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("committed"));
        assertThat(s.load(Oid.ROOT).tid()).isEqualTo(tid);
        assertThat(Records.text(s.load(Oid.ROOT).data())).isEqualTo("committed");
    }

    @Test
    default void voted_notVisibleBeforeFinish(Storage s) {
        long t1 = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("old"));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.store(Oid.ROOT, t1, Records.object("new"));
        long oid = s.newOids(1)[0];
        t.store(oid, Tid.ZERO, Records.object("created"));
        t.vote();
        // Reads from other threads must not wait for the commit lock and must see the old state.
        Threads.Task<String> reader = Threads.start("reader", () -> {
            StorageView v = s.openView();
            try {
                assertThat(v.tid()).isEqualTo(t1);
                assertThatThrownBy(() -> v.load(oid)).isInstanceOf(PosKeyException.class);
                return Records.text(v.load(Oid.ROOT).data()) + "/"
                        + Records.text(s.load(Oid.ROOT).data()) + "/" + s.lastTid();
            } finally {
                v.close();
            }
        });
        assertThat(reader.join()).isEqualTo("old/old/" + t1);
        long tid = t.finish();
        StorageView v = s.openView();
        assertThat(v.tid()).isEqualTo(tid);
        assertThat(Records.text(v.load(Oid.ROOT).data())).isEqualTo("new");
        assertThat(Records.text(v.load(oid).data())).isEqualTo("created");
        v.close();
    }

    @Test
    default void finish_fromAnotherThreadThanVote(Storage s) {
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.store(Oid.ROOT, Tid.ZERO, Records.object("x"));
        t.vote();
        long tid = Threads.start("finisher", t::finish).join();
        assertThat(s.load(Oid.ROOT).tid()).isEqualTo(tid);
        // and the lock was released by that other thread's finish
        assertThat(Kit.update(s, Oid.ROOT, Records.object("y"))).isGreaterThan(tid);
    }

    @Test
    default void begin_locksNothing_interleavedTransactionsOnOneThread(Storage s) {
        long[] oids = s.newOids(2);
        StorageTransaction t1 = s.begin(TransactionMetadata.of("kit", "t1"));
        StorageTransaction t2 = s.begin(TransactionMetadata.of("kit", "t2"));
        t1.store(oids[0], Tid.ZERO, Records.object("one"));
        t2.store(oids[1], Tid.ZERO, Records.object("two"));
        t2.vote();
        long tid2 = t2.finish();
        t1.vote();
        long tid1 = t1.finish();
        assertThat(tid1).isGreaterThan(tid2);
        assertThat(s.load(oids[0]).tid()).isEqualTo(tid1);
        assertThat(s.load(oids[1]).tid()).isEqualTo(tid2);
    }

    /**
     * racetest's invariant: a writer commits transactions that set K objects to the same value;
     * readers through snapshots must always see K equal values, and readers through
     * {@code lastTid} then {@code load} must never see an object older than that lastTid.
     */
    @Test
    default void finish_isAtomicForConcurrentReaders(Storage s) {
        int k = 6;
        long[] oids = s.newOids(k);
        StorageTransaction init = s.begin(TransactionMetadata.EMPTY);
        for (long oid : oids) init.store(oid, Tid.ZERO, Records.object("0"));
        init.vote();
        init.finish();
        AtomicBoolean done = new AtomicBoolean();
        List<Threads.Task<Integer>> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            readers.add(Threads.start("reader-" + r, () -> {
                int checks = 0;
                while (!done.get() || checks == 0) {
                    try (StorageView v = s.openView()) {
                        String first = null;
                        for (long oid : oids) {
                            Loaded l = v.load(oid);
                            assertThat(l.tid()).isLessThanOrEqualTo(v.tid());
                            String text = Records.text(l.data());
                            if (first == null) first = text;
                            assertThat(text)
                                    .as("snapshot at %s mixes transactions", Tid.hex(v.tid()))
                                    .isEqualTo(first);
                        }
                    }
                    long last = s.lastTid();
                    for (long oid : oids) {
                        assertThat(s.load(oid).tid())
                                .as("lastTid %s announced before its data was visible", Tid.hex(last))
                                .isGreaterThanOrEqualTo(last);
                    }
                    checks++;
                }
                return checks;
            }));
        }
        try {
            for (int i = 1; i <= 150; i++) {
                StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
                for (long oid : oids) t.store(oid, Kit.loadedTid(s, oid), Records.object(Integer.toString(i)));
                t.vote();
                t.finish();
            }
        } finally {
            done.set(true);
        }
        for (Threads.Task<Integer> r : readers) assertThat(r.join()).isPositive();
        for (long oid : oids) assertThat(Records.text(s.load(oid).data())).isEqualTo("150");
    }
}
