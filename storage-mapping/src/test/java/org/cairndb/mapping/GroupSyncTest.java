package org.cairndb.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cairndb.storage.StorageException;
import org.junit.jupiter.api.Test;

/**
 * The group sync's protocol with a recording stand-in for the journal: a leader covers every
 * commit written before its force started, later ones get the next force, publication follows
 * the force in tid order, and a failed force fails everyone after it.
 */
class GroupSyncTest {
    /** Records forces and publications; the first force blocks until {@link #release}. */
    private static final class Recording implements GroupSync.Work {
        final List<String> events = new ArrayList<>();
        final CountDownLatch forcing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        RuntimeException failWith;
        int forces;

        @Override
        public void force() {
            boolean first;
            synchronized (this) {
                first = forces++ == 0;
                events.add("force");
            }
            if (first) {
                forcing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            if (failWith != null) throw failWith;
        }

        @Override
        public synchronized void publishUpTo(long tid) {
            events.add("publish " + tid);
        }
    }

    @Test
    void commitsWrittenDuringAForce_shareTheNextOne() throws Exception {
        Recording work = new Recording();
        GroupSync sync = new GroupSync(work, 10);
        sync.written(11);
        CompletableFuture<Void> leader = CompletableFuture.runAsync(() -> sync.await(11));
        assertThat(work.forcing.await(60, TimeUnit.SECONDS))
                .as("the first committer leads a force")
                .isTrue();
        // while that force runs, two more commits are written: not covered by it
        sync.written(12);
        sync.written(13);
        assertThat(sync.pending()).isTrue();
        work.release.countDown();
        leader.get(60, TimeUnit.SECONDS);
        // the last of them leads the next force, which covers both
        sync.await(13);
        sync.await(12); // already published: no force of its own
        assertThat(work.events).containsExactly("force", "publish 11", "force", "publish 13");
        assertThat(sync.pending()).isFalse();
    }

    @Test
    void followerWaitsForTheForceThatCoversIt() throws Exception {
        Recording work = new Recording();
        GroupSync sync = new GroupSync(work, 10);
        sync.written(11);
        sync.written(12);
        CompletableFuture<Void> leader = CompletableFuture.runAsync(() -> sync.await(12));
        assertThat(work.forcing.await(60, TimeUnit.SECONDS)).isTrue();
        // 11 was written before the force started: covered by it, so it returns after it without a force of its own
        CompletableFuture<Void> follower = CompletableFuture.runAsync(() -> sync.await(11));
        work.release.countDown();
        follower.get(60, TimeUnit.SECONDS);
        leader.get(60, TimeUnit.SECONDS);
        assertThat(work.events).containsExactly("force", "publish 12");
    }

    @Test
    void failedForce_failsItsCommitsAndEveryLaterOne() {
        Recording work = new Recording();
        work.release.countDown();
        work.failWith = new StorageException("disk gone");
        GroupSync sync = new GroupSync(work, 10);
        sync.written(11);
        assertThatThrownBy(() -> sync.await(11))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("disk gone");
        assertThatThrownBy(sync::checkHealthy).hasMessageContaining("disk gone");
        work.failWith = null;
        assertThatThrownBy(() -> sync.await(11))
                .as("never published after a failed force")
                .hasMessageContaining("disk gone");
        assertThat(work.events).containsExactly("force");
    }
}
