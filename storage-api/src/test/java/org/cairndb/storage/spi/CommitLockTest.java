package org.cairndb.storage.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cairndb.storage.StorageClosedException;
import org.cairndb.storage.conformance.Threads;
import org.junit.jupiter.api.Test;

class CommitLockTest {

    @Test
    void acquireRelease_uncontended() {
        CommitLock lock = new CommitLock("t");
        lock.acquire();
        assertThat(lock.isHeld()).isTrue();
        assertThat(lock.tryAcquire()).isFalse();
        lock.release();
        assertThat(lock.isHeld()).isFalse();
        assertThat(lock.tryAcquire()).isTrue();
        lock.release();
        assertThat(lock.stats().acquisitions()).isEqualTo(2);
    }

    @Test
    void release_notHeld_illegalStateNamingTheLock() {
        CommitLock lock = new CommitLock("storage 'x'");
        assertThatThrownBy(lock::release)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("storage 'x'");
    }

    @Test
    void waiters_servedInArrivalOrder_handOffOnRelease() {
        CommitLock lock = new CommitLock("fifo");
        lock.acquire();
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<Threads.Task<Void>> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            Threads.Task<Void> t = Threads.start("w" + i, () -> {
                lock.acquire();
                order.add(n);
                lock.release();
                return null;
            });
            assertThat(Threads.awaitBlocked(t)).isTrue();
            assertThat(lock.queueLength()).isEqualTo(i + 1);
            waiters.add(t);
        }
        // tryAcquire must not jump the queue, even though waiters only wake after release
        assertThat(lock.tryAcquire()).isFalse();
        lock.release();
        for (Threads.Task<Void> t : waiters) t.join();
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
        assertThat(lock.isHeld()).isFalse();
        assertThat(lock.stats().queueLength()).isZero();
    }

    @Test
    void release_fromAnotherThread_wakesWaiter() {
        CommitLock lock = new CommitLock("cross");
        lock.acquire();
        Threads.Task<Boolean> waiter = Threads.start("waiter", () -> {
            lock.acquire();
            return lock.isHeld();
        });
        assertThat(Threads.awaitBlocked(waiter)).isTrue();
        Threads.start("releaser", () -> {
                    lock.release();
                    return null;
                })
                .join();
        assertThat(waiter.join()).isTrue();
        lock.release(); // the waiter's hold, released by this thread
        assertThat(lock.isHeld()).isFalse();
    }

    @Test
    void close_wakesEveryWaiterWithStorageClosed_laterAcquiresFail() {
        CommitLock lock = new CommitLock("storage 'c'");
        lock.acquire();
        List<Threads.Task<Long>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Threads.Task<Long> t = Threads.start("w" + i, lock::acquire);
            Threads.awaitBlocked(t);
            waiters.add(t);
        }
        lock.close();
        for (Threads.Task<Long> t : waiters) {
            assertThat(t.failure()).isInstanceOf(StorageClosedException.class).hasMessageContaining("storage 'c'");
        }
        assertThatThrownBy(lock::acquire).isInstanceOf(StorageClosedException.class);
        assertThatThrownBy(lock::tryAcquire).isInstanceOf(StorageClosedException.class);
        assertThat(lock.queueLength()).isZero();
    }

    @Test
    void interruptedWaiter_leavesQueue_andOthersStillServed() {
        CommitLock lock = new CommitLock("intr");
        lock.acquire();
        Threads.Task<Long> interrupted = Threads.start("interrupted", lock::acquire);
        Threads.awaitBlocked(interrupted);
        Threads.Task<Long> patient = Threads.start("patient", lock::acquire);
        Threads.awaitBlocked(patient);
        interrupted.thread.interrupt();
        assertThat(interrupted.failure())
                .isInstanceOf(StorageClosedException.class)
                .hasMessageContaining("interrupted");
        lock.release();
        patient.join();
        assertThat(lock.isHeld()).isTrue();
        lock.release();
        assertThat(lock.isHeld()).isFalse();
    }

    @Test
    void stats_countWaits() {
        CommitLock lock = new CommitLock("s");
        lock.acquire();
        Threads.Task<Long> w = Threads.start("w", lock::acquire);
        Threads.awaitBlocked(w);
        assertThat(lock.stats().queueLength()).isEqualTo(1);
        lock.release();
        long waited = w.join();
        assertThat(waited).isPositive();
        CommitLock.Stats st = lock.stats();
        assertThat(st.acquisitions()).isEqualTo(2);
        assertThat(st.maxWaitNanos()).isGreaterThanOrEqualTo(waited);
        assertThat(st.held()).isTrue();
    }
}
