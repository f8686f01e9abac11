package org.cairndb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The gate's contract, alone: waiting votes are admitted in the order they entered, each by
 * the release of the one before (never by time), and a cancelled waiter leaves the queue.
 * CommitQueueTest shows the same through real connections.
 */
class VoteGateTest {
    private final VoteGate gate = new VoteGate(true);
    private final List<String> admitted = new CopyOnWriteArrayList<>();

    private Runnable vote(String name) {
        return () -> admitted.add(name);
    }

    @Test
    void enter_busyGate_waitersAdmittedInArrivalOrder_eachByARelease() {
        gate.enter(vote("a"));
        assertThat(admitted).containsExactly("a");
        for (String n : List.of("d", "b", "c")) gate.enter(vote(n)); // arrival order, not name order
        assertThat(gate.queueLength()).isEqualTo(3);
        assertThat(admitted).containsExactly("a"); // nobody runs while the gate is held, however long

        gate.leave();
        assertThat(admitted).containsExactly("a", "d"); // the release itself admitted the next, before leave returned
        assertThat(gate.queueLength()).isEqualTo(2);
        gate.leave();
        assertThat(admitted).containsExactly("a", "d", "b");
        gate.leave();
        assertThat(admitted).containsExactly("a", "d", "b", "c");
        assertThat(gate.queueLength()).isZero();

        gate.leave(); // the last one out frees the gate
        gate.enter(vote("e"));
        assertThat(admitted).endsWith("e");
    }

    @Test
    void cancel_waiterLeavesQueue_nextServedByTheRelease() {
        gate.enter(vote("a"));
        Runnable b = vote("b");
        gate.enter(b);
        gate.enter(vote("c"));
        assertThat(gate.cancel(b)).isTrue();
        assertThat(gate.queueLength()).isEqualTo(1);
        gate.leave();
        assertThat(admitted).containsExactly("a", "c");
        assertThat(gate.cancel(b)).isFalse(); // gone; and an admitted vote cannot be cancelled
    }

    @Test
    void enter_concurrentThreads_orderIsTheOrderTheyGotIn() throws Exception {
        gate.enter(vote("holder"));
        int n = 8;
        List<String> entered = new CopyOnWriteArrayList<>();
        CyclicBarrier start = new CyclicBarrier(n);
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            String name = "t" + i;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    synchronized (entered) { // the order in which the gate saw them
                        gate.enter(vote(name));
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
        for (int i = 0; i < n; i++) gate.leave();
        assertThat(admitted.subList(1, admitted.size())).containsExactlyElementsOf(entered);
    }

    @Test
    void enter_disabledGate_runsAtOnce() {
        VoteGate off = new VoteGate(false);
        off.enter(vote("a"));
        off.enter(vote("b"));
        assertThat(admitted).containsExactly("a", "b");
        assertThat(off.queueLength()).isZero();
    }
}
