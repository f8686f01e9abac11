package org.cairndb.storage.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Consumer;
import org.cairndb.storage.Capability;
import org.cairndb.storage.Oid;
import org.cairndb.storage.PackProgress;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageClosedException;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Closing: every call on a closed storage (and its views and transactions) throws
 * {@link StorageClosedException}; a thread blocked on the commit lock is woken by the close
 * with that exception; nothing half-committed survives; persistent storages reopen with every
 * committed transaction and none of the uncommitted ones. (ZODB's testThreadedShutdown,
 * PersistentStorage.checkUpdatesPersist.)
 */
public interface LifecycleContract extends StorageContract {

    @Test
    default void closedStorage_everyCallRefused(Storage s) {
        long t1 = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("x"));
        s.close();
        List<String> names = List.of(
                "load",
                "loadBefore",
                "loadSerial",
                "newOids",
                "begin",
                "openView",
                "iterator",
                "history",
                "lastTid",
                "objectCount",
                "restore");
        List<Consumer<Storage>> calls = List.of(
                st -> st.load(Oid.ROOT),
                st -> st.loadBefore(Oid.ROOT, Tid.MAX),
                st -> st.loadSerial(Oid.ROOT, t1),
                st -> st.newOids(1),
                st -> st.begin(TransactionMetadata.EMPTY),
                st -> st.openView(),
                st -> st.iterator(Tid.ZERO, Tid.MAX).hasNext(),
                st -> st.history(Oid.ROOT, 1),
                st -> st.lastTid(),
                st -> st.objectCount(),
                st -> st.restore(new TransactionRecord(
                        Tid.next(t1),
                        false,
                        TransactionMetadata.EMPTY,
                        List.of(Revision.of(Oid.ROOT, Tid.next(t1), Records.object("y"))))));
        for (int i = 0; i < calls.size(); i++) {
            Consumer<Storage> call = calls.get(i);
            try {
                call.accept(s);
                throw new AssertionError(names.get(i) + " on a closed storage did not throw StorageClosedException");
            } catch (StorageClosedException e) {
                assertThat(e).hasMessageContaining("closed");
            }
        }
        if (s.supports(Capability.PACK)) {
            assertThatThrownBy(() -> s.pack(Tid.MAX, PackProgress.NONE)).isInstanceOf(StorageClosedException.class);
        }
    }

    @Test
    default void close_activeTransaction_cannotCommitAfterwards(StorageFixture f) {
        Storage s = f.open();
        Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("committed"));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.store(Oid.ROOT, s.lastTid(), Records.object("never"));
        s.close();
        assertThatThrownBy(() -> {
                    t.vote();
                    t.finish();
                })
                .isInstanceOf(StorageClosedException.class);
        t.abort();
        if (f.persistent()) {
            Storage again = f.reopen(s);
            assertThat(Records.text(again.load(Oid.ROOT).data())).isEqualTo("committed");
        }
    }

    @Test
    default void close_votedTransaction_finishRefusedAndCloseDoesNotHang(StorageFixture f) {
        Storage s = f.open();
        long t1 = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("committed"));
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.store(Oid.ROOT, t1, Records.object("voted, never finished"));
        t.vote();
        Threads.start("closer", () -> {
                    s.close();
                    return null;
                })
                .join();
        assertThatThrownBy(t::finish).isInstanceOf(StorageClosedException.class);
        t.abort();
        if (f.persistent()) {
            Storage again = f.reopen(s);
            assertThat(again.lastTid()).isEqualTo(t1);
            assertThat(Records.text(again.load(Oid.ROOT).data())).isEqualTo("committed");
        }
    }

    @Test
    default void close_wakesThreadBlockedOnCommitLock(Storage s) {
        long t1 = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("x"));
        long oid = s.newOids(1)[0];
        StorageTransaction holder = s.begin(TransactionMetadata.EMPTY);
        holder.store(Oid.ROOT, t1, Records.object("holder"));
        holder.vote(); // holds the commit lock
        Threads.Task<Long> waiter = Threads.start("waiter", () -> {
            StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
            t.store(Oid.ROOT, t1, Records.object("waiter"));
            t.store(oid, Tid.ZERO, Records.object("waiter"));
            t.vote(); // blocks (single-writer storages) until the holder finishes or aborts
            return t.finish();
        });
        // Multi-writer storages may wait inside a database call (not observable as a parked
        // thread); the outcome must be the same either way.
        if (!s.supports(Capability.MULTI_WRITER))
            assertThat(Threads.awaitBlocked(waiter)).isTrue();
        s.close();
        assertThat(waiter.failure()).isInstanceOf(StorageClosedException.class);
        holder.abort();
    }

    @Test
    default void closedView_andViewOfClosedStorage_refuseLoads(Storage s) {
        Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("x"));
        StorageView v = s.openView();
        s.close();
        assertThatThrownBy(() -> v.load(Oid.ROOT)).isInstanceOf(StorageClosedException.class);
        v.close();
    }

    @Test
    default void reopen_keepsEveryCommittedTransaction(StorageFixture f) {
        Storage s = f.open();
        Assumptions.assumeTrue(f.persistent(), "fixture " + f + " is not persistent");
        long[] a = Kit.commitNew(s, Records.object("a1"));
        Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("root", a[0]));
        Kit.update(s, a[0], Records.object("a2"));
        long[] b = Kit.commitNew(s, Records.foreign("b"));
        Kit.delete(s, b[0]);
        StorageTransaction aborted = s.begin(TransactionMetadata.EMPTY);
        aborted.store(a[0], Kit.currentTid(s, a[0]), Records.object("aborted"));
        aborted.vote();
        aborted.abort();
        List<TransactionRecord> before = Kit.transactions(s);
        long last = s.lastTid();
        long count = s.objectCount();
        Storage again = f.reopen(s);
        assertThat(again.lastTid()).isEqualTo(last);
        assertThat(again.objectCount()).isEqualTo(count);
        assertThat(Kit.transactions(again)).isEqualTo(before);
        assertThat(Records.text(again.load(a[0]).data())).isEqualTo("a2");
        assertThat(Kit.update(again, a[0], Records.object("a3"))).isGreaterThan(last);
        Storage third = f.reopen(again);
        assertThat(Records.text(third.load(a[0]).data())).isEqualTo("a3");
    }
}
