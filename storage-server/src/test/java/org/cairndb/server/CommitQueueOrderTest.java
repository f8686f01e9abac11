package org.cairndb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The commit queue's contract, alone: waiting votes are admitted in the order they entered, each by
 * the release of the one before (never by time), and a cancelled waiter leaves the queue.
 * CommitQueueTest shows the same through real connections.
 */
class CommitQueueOrderTest {
    private final CommitQueue queue = new CommitQueue(true);
    private final List<String> admitted = new CopyOnWriteArrayList<>();

    private Runnable vote(String name) {
        return () -> admitted.add(name);
    }

    @Test
    void enter_busyQueue_waitersAdmittedInArrivalOrder_eachByARelease() {
        queue.enter(vote("a"));
        assertThat(admitted).containsExactly("a");
        for (String n : List.of("d", "b", "c")) queue.enter(vote(n)); // arrival order, not name order
        assertThat(queue.queueLength()).isEqualTo(3);
        assertThat(admitted).containsExactly("a"); // nobody runs while the queue is held, however long

        queue.leave();
        assertThat(admitted).containsExactly("a", "d"); // the release itself admitted the next, before leave returned
        assertThat(queue.queueLength()).isEqualTo(2);
        queue.leave();
        assertThat(admitted).containsExactly("a", "d", "b");
        queue.leave();
        assertThat(admitted).containsExactly("a", "d", "b", "c");
        assertThat(queue.queueLength()).isZero();

        queue.leave(); // the last one out frees the queue
        queue.enter(vote("e"));
        assertThat(admitted).endsWith("e");
    }

    @Test
    void cancel_waiterLeavesQueue_nextServedByTheRelease() {
        queue.enter(vote("a"));
        Runnable b = vote("b");
        queue.enter(b);
        queue.enter(vote("c"));
        assertThat(queue.cancel(b)).isTrue();
        assertThat(queue.queueLength()).isEqualTo(1);
        queue.leave();
        assertThat(admitted).containsExactly("a", "c");
        assertThat(queue.cancel(b)).isFalse(); // gone; and an admitted vote cannot be cancelled
    }

    @Test
    void enter_concurrentThreads_orderIsTheOrderTheyGotIn() throws Exception {
        queue.enter(vote("holder"));
        int n = 8;
        List<String> entered = new CopyOnWriteArrayList<>();
        CyclicBarrier start = new CyclicBarrier(n);
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            String name = "t" + i;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    synchronized (entered) { // the order in which the queue saw them
                        queue.enter(vote(name));
                        entered.add(name);
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                } finally {
                    done.countDown();
                }
            });
            t.start();
        }
        assertThat(done.await(60, TimeUnit.SECONDS)).as("threads entered").isTrue();
        assertThat(admitted).containsExactly("holder");
        for (int i = 0; i < n; i++) queue.leave();
        assertThat(admitted.subList(1, admitted.size())).containsExactlyElementsOf(entered);
    }

    @Test
    void enter_disabledQueue_runsAtOnce() {
        CommitQueue off = new CommitQueue(false);
        off.enter(vote("a"));
        off.enter(vote("b"));
        assertThat(admitted).containsExactly("a", "b");
        assertThat(off.queueLength()).isZero();
    }
}
