package org.cairndb.storage.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.StorageMisuseException;
import org.cairndb.storage.StorageTransaction.State;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.conflict.ConflictResolver;
import org.cairndb.storage.conflict.ResolverRegistry;
import org.cairndb.storage.conformance.Records;
import org.junit.jupiter.api.Test;

class AbstractStorageTransactionTest {

    /** Records the calls the state machine makes. */
    static final class Recording extends AbstractStorageTransaction {
        final List<String> calls = new ArrayList<>();
        RuntimeException failVote;

        Recording() {
            super("test-storage", TransactionMetadata.of("u", "d"));
        }

        @Override
        protected Map<Long, byte[]> doVote() {
            calls.add("vote");
            if (failVote != null) throw failVote;
            return null;
        }

        @Override
        protected long doFinish() {
            calls.add("finish");
            return 42;
        }

        @Override
        protected void doAbort(boolean mayHoldLock) {
            calls.add("abort(" + mayHoldLock + ")");
        }

        List<PendingWrite> pending() {
            return new ArrayList<>(writes());
        }
    }

    @Test
    void happyPath_voteThenFinish() {
        Recording t = new Recording();
        t.store(1, Tid.ZERO, new byte[] {1});
        assertThat(t.vote()).isEmpty(); // null from doVote becomes an empty map
        assertThat(t.state()).isEqualTo(State.VOTED);
        assertThat(t.finish()).isEqualTo(42);
        assertThat(t.state()).isEqualTo(State.FINISHED);
        assertThat(t.calls).containsExactly("vote", "finish");
    }

    @Test
    void voteFailure_abortsWithLockFlagAndRethrows() {
        Recording t = new Recording();
        t.failVote = new ConflictException(1, "C", 2, 3);
        assertThatThrownBy(t::vote).isSameAs(t.failVote);
        assertThat(t.state()).isEqualTo(State.ABORTED);
        assertThat(t.calls).containsExactly("vote", "abort(true)");
        t.abort(); // idempotent: no second doAbort
        assertThat(t.calls).hasSize(2);
    }

    @Test
    void abort_activeVersusVoted_tellsWhetherTheLockMayBeHeld() {
        Recording active = new Recording();
        active.abort();
        assertThat(active.calls).containsExactly("abort(false)");
        Recording voted = new Recording();
        voted.vote();
        voted.abort();
        voted.abort();
        assertThat(voted.calls).containsExactly("vote", "abort(true)");
        Recording finished = new Recording();
        finished.vote();
        finished.finish();
        finished.abort();
        assertThat(finished.calls).containsExactly("vote", "finish");
        assertThat(finished.state()).isEqualTo(State.FINISHED);
    }

    @Test
    void outOfOrder_misuseSaysStateAndWhatToDo() {
        Recording t = new Recording();
        assertThatThrownBy(t::finish)
                .isInstanceOf(StorageMisuseException.class)
                .hasMessageContaining("test-storage")
                .hasMessageContaining("ACTIVE")
                .hasMessageContaining("vote() first");
        t.vote();
        assertThatThrownBy(() -> t.store(1, 0, new byte[0]))
                .isInstanceOf(StorageMisuseException.class)
                .hasMessageContaining("VOTED")
                .hasMessageContaining("finish or abort");
        assertThatThrownBy(t::vote).isInstanceOf(StorageMisuseException.class);
        assertThatThrownBy(() -> t.checkCurrent(1, 0)).isInstanceOf(StorageMisuseException.class);
        assertThatThrownBy(() -> t.delete(1, 0)).isInstanceOf(StorageMisuseException.class);
        t.finish();
        assertThatThrownBy(t::finish)
                .isInstanceOf(StorageMisuseException.class)
                .hasMessageContaining("begin a new one");
        assertThat(t.calls).containsExactly("vote", "finish");
    }

    @Test
    void store_null_misuseNamesOid() {
        Recording t = new Recording();
        assertThatThrownBy(() -> t.store(0x2a, 0, null))
                .isInstanceOf(StorageMisuseException.class)
                .hasMessageContaining("0x2a")
                .hasMessageContaining("delete");
        assertThat(t.state()).isEqualTo(State.ACTIVE);
    }

    @Test
    void secondWriteOfOneOid_keepsFirstReadTid_lastData() {
        Recording t = new Recording();
        t.store(7, 100, new byte[] {1});
        t.store(8, 5, new byte[] {8});
        t.store(7, 200, new byte[] {2});
        t.delete(8, 6);
        List<PendingWrite> w = t.pending();
        assertThat(w).hasSize(2);
        assertThat(w.get(0).oid()).isEqualTo(7);
        assertThat(w.get(0).readTid()).isEqualTo(100);
        assertThat(w.get(0).data()).containsExactly(2);
        assertThat(w.get(1).data()).isNull();
        assertThat(w.get(1).readTid()).isEqualTo(5);
    }

    @Test
    void checkCurrent_keepsFirstReadTid() {
        Recording t = new Recording();
        t.checkCurrent(3, 10);
        t.checkCurrent(3, 20);
        assertThat(t.reads()).containsExactly(Map.entry(3L, 10L));
    }

    @Test
    void undo_byDefaultUnsupportedNamingStorage() {
        Recording t = new Recording();
        assertThatThrownBy(() -> t.undo(1))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("test-storage");
    }

    @Test
    void nullMetadata_isEmpty() {
        AbstractStorageTransaction t = new AbstractStorageTransaction("s", null) {
            protected Map<Long, byte[]> doVote() {
                return Map.of();
            }

            protected long doFinish() {
                return 1;
            }

            protected void doAbort(boolean mayHoldLock) {}
        };
        assertThat(t.metadata()).isEqualTo(TransactionMetadata.EMPTY);
    }

    @Test
    void resolveOrThrow_mergedByRegistry() {
        Recording t = new Recording();
        ResolverRegistry reg = ResolverRegistry.fromClassPath();
        PendingWrite w = new PendingWrite(5, 1, Records.counter(15), Tid.ZERO);
        byte[] merged = t.resolveOrThrow(reg, w, 2, Records.counter(11), Records.counter(10));
        assertThat(Records.counterValue(merged)).isEqualTo(16);
    }

    @Test
    void resolveOrThrow_noResolverOrDecline_conflictWithClassAndTids() {
        Recording t = new Recording();
        PendingWrite w = new PendingWrite(5, 1, Records.object("mine"), Tid.ZERO);
        assertThatThrownBy(() -> t.resolveOrThrow(new ResolverRegistry(), w, 2, Records.object("theirs"), null))
                .isInstanceOfSatisfying(ConflictException.class, c -> {
                    assertThat(c.oid()).isEqualTo(5);
                    assertThat(c.className()).isEqualTo(Records.OBJECT_CLASS);
                    assertThat(c.readTid()).isEqualTo(1);
                    assertThat(c.currentTid()).isEqualTo(2);
                });
        PendingWrite counterNoAncestor = new PendingWrite(5, 1, Records.counter(1), Tid.ZERO);
        assertThatThrownBy(() -> t.resolveOrThrow(
                        ResolverRegistry.fromClassPath(), counterNoAncestor, 2, Records.counter(3), null))
                .isInstanceOf(ConflictException.class);
        PendingWrite deletion = new PendingWrite(5, 1, null, Tid.ZERO);
        assertThatThrownBy(() -> t.resolveOrThrow(
                        ResolverRegistry.fromClassPath(), deletion, 2, Records.counter(3), Records.counter(1)))
                .isInstanceOfSatisfying(
                        ConflictException.class, c -> assertThat(c.className()).isEqualTo(Records.COUNTER_CLASS));
        assertThatThrownBy(() -> t.resolveOrThrow(null, w, 2, Records.object("theirs"), null))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void resolveOrThrow_resolverThrows_conflictWithCause() {
        Recording t = new Recording();
        ResolverRegistry reg = new ResolverRegistry().add(new ConflictResolver() {
            public boolean handles(String className) {
                return true;
            }

            public byte[] resolve(long oid, String className, byte[] ancestor, byte[] committed, byte[] mine) {
                throw new ArithmeticException("boom");
            }
        });
        PendingWrite w = new PendingWrite(5, 1, Records.object("mine"), Tid.ZERO);
        assertThatThrownBy(() -> t.resolveOrThrow(reg, w, 2, Records.object("theirs"), Records.object("base")))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("resolver failed")
                .hasMessageContaining("boom")
                .hasCauseInstanceOf(ArithmeticException.class);
    }
}
