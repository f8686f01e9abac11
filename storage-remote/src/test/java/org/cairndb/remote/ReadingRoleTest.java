package org.cairndb.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * The reading role on its own, without a socket: one holder at a time, hand-off to the first
 * follower still waiting for its answer, else to the rung background thread, and a report when
 * nobody was told. The waits below end when the role is handed (a broken hand-off fails the
 * get at its generous deadline instead of hanging the build).
 */
class ReadingRoleTest {
    private final ReentrantLock lock = new ReentrantLock();
    private final ReadingRole role = new ReadingRole(lock);

    @Test
    void oneHolderAtATime_counted() throws Exception {
        lock.lock();
        try {
            assertThat(role.isFree()).isTrue();
            role.take(true);
            assertThat(role.holder()).isSameAs(Thread.currentThread());
            assertThat(role.isFree()).isFalse();
        } finally {
            lock.unlock();
        }
        boolean otherCouldTake =
                CompletableFuture.supplyAsync(() -> locked(role::isFree)).get(60, TimeUnit.SECONDS);
        assertThat(otherCouldTake).as("another thread sees the role held").isFalse();
        lock.lock();
        try {
            role.free();
            assertThat(role.holder()).isNull();
            role.takeForBell();
            role.free();
        } finally {
            lock.unlock();
        }
        assertThat(role.callerLeads()).isEqualTo(1);
        assertThat(role.backgroundLeads()).isEqualTo(1);
    }

    @Test
    void handOff_withNobodyWaiting_reportsThatNobodyWasTold() {
        assertThat(locked(role::handOff)).isFalse();
    }

    @Test
    void handOff_wakesAFollowerWhoseAnswerHasNotCome_andItTakesTheRole() throws Exception {
        lock.lock();
        try {
            role.take(true);
        } finally {
            lock.unlock();
        }
        Pending mine = new Pending(null);
        CompletableFuture<Thread> follower = CompletableFuture.supplyAsync(() -> {
            lock.lock();
            try {
                while (!mine.done() && !role.isFree()) role.follow(mine, Long.MAX_VALUE);
                role.take(true);
                return Thread.currentThread();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                lock.unlock();
            }
        });
        awaitFollowers(1);
        lock.lock();
        try {
            role.free();
            assertThat(role.handOff()).isTrue();
        } finally {
            lock.unlock();
        }
        Thread taker = follower.get(60, TimeUnit.SECONDS);
        assertThat(role.holder()).isSameAs(taker).isNotSameAs(Thread.currentThread());
        assertThat(locked(role::followerCount)).isZero();
    }

    @Test
    void handOff_skipsFollowersAlreadyAnswered_thenTellsTheRungBackgroundThread() throws Exception {
        lock.lock();
        try {
            role.take(true);
        } finally {
            lock.unlock();
        }
        Pending answered = new Pending(null);
        CompletableFuture<Void> follower = CompletableFuture.runAsync(() -> {
            lock.lock();
            try {
                while (!answered.done()) role.follow(answered, Long.MAX_VALUE);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                lock.unlock();
            }
        });
        awaitFollowers(1);
        CompletableFuture<Void> bell = CompletableFuture.runAsync(() -> {
            lock.lock();
            try {
                while (!role.isFree()) role.awaitForBell();
                role.takeForBell();
            } finally {
                lock.unlock();
            }
        });
        lock.lock();
        try {
            while (!role.bellWaiting()) {
                lock.unlock();
                Thread.onSpinWait();
                lock.lock();
            }
            answered.fail(new IllegalStateException("completed")); // its follower is woken by this, not by the role
            role.free();
            assertThat(role.handOff()).as("the rung background thread is told").isTrue();
        } finally {
            lock.unlock();
        }
        bell.get(60, TimeUnit.SECONDS);
        follower.get(60, TimeUnit.SECONDS);
        assertThat(role.backgroundLeads()).isEqualTo(1);
        assertThat(locked(role::bellWaiting)).isFalse();
    }

    @Test
    void wakeAll_endsEveryWait() throws Exception {
        Pending p = new Pending(null);
        CompletableFuture<Void> follower = CompletableFuture.runAsync(() -> {
            lock.lock();
            try {
                role.follow(p, Long.MAX_VALUE);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                lock.unlock();
            }
        });
        awaitFollowers(1);
        lock.lock();
        try {
            role.wakeAll();
        } finally {
            lock.unlock();
        }
        follower.get(60, TimeUnit.SECONDS);
        assertThat(p.done())
                .as("woken, not answered: it re-checks why it waits")
                .isFalse();
    }

    /** Until {@code n} callers wait as followers (they enqueue under the lock, then release it in their wait). */
    private void awaitFollowers(int n) {
        while (locked(role::followerCount) < n) Thread.onSpinWait();
    }

    private <T> T locked(java.util.function.Supplier<T> s) {
        lock.lock();
        try {
            return s.get();
        } finally {
            lock.unlock();
        }
    }
}
