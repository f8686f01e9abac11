package org.cairndb.storage.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cairndb.storage.Capability;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Conflict resolution through the resolver registry, for storages with
 * {@link Capability#CONFLICT_RESOLUTION} (others skip; {@link WriteConflictContract} checks
 * they report the conflict). The kit's {@link TestCounterResolver} merges counters as
 * committed + mine - ancestor. (ZODB's ConflictResolution: checkResolve, checkUnresolvable,
 * checkBuggyResolve1/2, and a hot counter under many threads.)
 */
public interface ConflictResolutionContract extends StorageContract {

    private static void requireResolution(Storage s) {
        Assumptions.assumeTrue(
                s.supports(Capability.CONFLICT_RESOLUTION),
                "storage " + s.name() + " does not resolve conflicts (no CONFLICT_RESOLUTION)");
    }

    private static ConflictException conflictOf(StorageTransaction t, Runnable stores) {
        Throwable e = Kit.storeAndVoteFailure(t, stores);
        t.abort();
        assertThat(e).isInstanceOf(ConflictException.class);
        return (ConflictException) e;
    }

    @Test
    default void resolve_counterIncrements_mergedAndReportedFromVote(Storage s) {
        requireResolution(s);
        long[] c = Kit.commitNew(s, Records.counter(10));
        StorageView reader = s.openView(); // as a connection does: its snapshot keeps the ancestor
        Kit.commit(s, c[0], c[1], Records.counter(11)); // +1 by another transaction
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.store(c[0], reader.load(c[0]).tid(), Records.counter(15)); // +5 from the old state
        Map<Long, byte[]> resolved = t.vote();
        long tid = t.finish();
        reader.close();
        assertThat(resolved).containsOnlyKeys(c[0]);
        assertThat(Records.counterValue(resolved.get(c[0]))).isEqualTo(16);
        assertThat(s.load(c[0]).tid()).isEqualTo(tid);
        assertThat(Records.counterValue(s.load(c[0]).data())).isEqualTo(16);
    }

    @Test
    default void resolve_onlyConflictingStoresReported(Storage s) {
        requireResolution(s);
        long[] c = Kit.commitNew(s, Records.counter(0));
        long[] d = Kit.commitNew(s, Records.counter(0));
        StorageView reader = s.openView();
        Kit.commit(s, c[0], c[1], Records.counter(1));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.store(c[0], c[1], Records.counter(2));
        t.store(d[0], d[1], Records.counter(7));
        Map<Long, byte[]> resolved = t.vote();
        t.finish();
        reader.close();
        assertThat(resolved).containsOnlyKeys(c[0]);
        assertThat(Records.counterValue(s.load(c[0]).data())).isEqualTo(3);
        assertThat(Records.counterValue(s.load(d[0]).data())).isEqualTo(7);
    }

    @Test
    default void resolve_keepsReferencesOfMergedRecord(Storage s) {
        requireResolution(s);
        long[] c = Kit.commitNew(s, Records.counter(0, 42L));
        StorageView reader = s.openView();
        Kit.commit(s, c[0], c[1], Records.counter(1, 42L));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.store(c[0], c[1], Records.counter(1, 42L, 43L));
        t.vote();
        t.finish();
        reader.close();
        byte[] data = s.load(c[0]).data();
        assertThat(Records.counterValue(data)).isEqualTo(2);
        assertThat(RecordHeader.referencesOf(data)).containsExactly(42L, 43L);
    }

    @Test
    default void resolve_plainObjects_stillConflict(Storage s) {
        requireResolution(s);
        long[] a = Kit.commitNew(s, Records.object("v1"));
        Kit.commit(s, a[0], a[1], Records.object("v2"));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        ConflictException c = conflictOf(t, () -> t.store(a[0], a[1], Records.object("v3")));
        assertThat(c.className()).isEqualTo(Records.OBJECT_CLASS);
        assertThat(Records.text(s.load(a[0]).data())).isEqualTo("v2");
    }

    @Test
    default void resolve_withoutAncestor_resolverDeclines(Storage s) {
        requireResolution(s);
        long oid = s.newOids(1)[0];
        StorageTransaction first = s.begin(TransactionMetadata.EMPTY);
        StorageTransaction second = s.begin(TransactionMetadata.EMPTY);
        first.store(oid, Tid.ZERO, Records.counter(1));
        first.vote();
        first.finish();
        // Both created the counter: there is no common ancestor, the resolver declines.
        ConflictException c = conflictOf(second, () -> second.store(oid, Tid.ZERO, Records.counter(5)));
        assertThat(c.oid()).isEqualTo(oid);
        assertThat(Records.counterValue(s.load(oid).data())).isEqualTo(1);
    }

    @Test
    default void resolve_foreignRecords_neverResolved(Storage s) {
        requireResolution(s);
        long[] a = Kit.commitNew(s, Records.foreign("v1"));
        Kit.commit(s, a[0], a[1], Records.foreign("v2"));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        conflictOf(t, () -> t.store(a[0], a[1], Records.foreign("v3")));
    }

    @Test
    default void resolve_buggyResolver_reportedAsConflictNoTrace(Storage s) {
        requireResolution(s);
        long[] a = Kit.commitNew(s, Records.buggy(1));
        StorageView reader = s.openView(); // keeps the ancestor, so the resolver is really called
        long t2 = Kit.commit(s, a[0], a[1], Records.buggy(2));
        long[] other = Kit.commitNew(s, Records.object("other"));
        long last = s.lastTid();
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        ConflictException c = conflictOf(t, () -> {
            t.store(other[0], other[1], Records.object("must not appear"));
            t.store(a[0], a[1], Records.buggy(3));
        });
        // As ZODB: a resolver that throws is a conflict (retryable), not an arbitrary error.
        assertThat(c.oid()).isEqualTo(a[0]);
        assertThat(c.currentTid()).isEqualTo(t2);
        assertThat(s.lastTid()).isEqualTo(last);
        assertThat(Records.text(s.load(other[0]).data())).isEqualTo("other");
        assertThat(Kit.update(s, a[0], Records.buggy(4))).isGreaterThan(last);
        reader.close();
    }

    @Test
    default void resolve_unresolvableConflictAmongResolvable_nothingWritten(Storage s) {
        requireResolution(s);
        long[] c = Kit.commitNew(s, Records.counter(0));
        long[] a = Kit.commitNew(s, Records.object("a1"));
        StorageView reader = s.openView();
        Kit.commit(s, c[0], c[1], Records.counter(1));
        Kit.commit(s, a[0], a[1], Records.object("a2"));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        conflictOf(t, () -> {
            t.store(c[0], c[1], Records.counter(10));
            t.store(a[0], a[1], Records.object("a3"));
        });
        assertThat(Records.counterValue(s.load(c[0]).data())).isEqualTo(1);
        assertThat(Records.text(s.load(a[0]).data())).isEqualTo("a2");
        reader.close();
    }

    @Test
    default void resolve_hotCounterFromManyThreads_noIncrementLost(Storage s) throws Exception {
        requireResolution(s);
        long[] c = Kit.commitNew(s, Records.counter(0));
        int threads = 4;
        int perThread = 100;
        List<Threads.Task<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            tasks.add(Threads.start("incrementer-" + i, () -> {
                int conflicts = 0;
                for (int n = 0; n < perThread; n++) {
                    while (true) {
                        StorageView view = s.openView(); // a connection's snapshot: keeps the ancestor
                        var l = view.load(c[0]);
                        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
                        try (view) {
                            t.store(c[0], l.tid(), Records.counter(Records.counterValue(l.data()) + 1));
                            t.vote();
                            t.finish();
                            break;
                        } catch (ConflictException e) {
                            t.abort();
                            conflicts++; // never expected: the view keeps the ancestor
                        }
                    }
                }
                return conflicts;
            }));
        }
        for (Threads.Task<Integer> t : tasks) t.join();
        assertThat(Records.counterValue(s.load(c[0]).data())).isEqualTo((long) threads * perThread);
    }
}
