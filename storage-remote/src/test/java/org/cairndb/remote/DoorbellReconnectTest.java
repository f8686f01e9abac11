package org.cairndb.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cairndb.protocol.Messages;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.storage.Loaded;
import org.junit.jupiter.api.Test;

/** Reconnecting stays live with the doorbell: a drop seen on the doorbell while a caller finishes, a doorbell refused once. */
class DoorbellReconnectTest {

    /**
     * The caller C leads and has read its LOAD answer (its pending removed) but not yet
     * released the role when the doorbell's end of stream makes the background thread drop
     * the link. The background thread waits in awaitLastReader for C; C's release of the role
     * must wake it (a hand-off that forgot to would leave it parked: no reconnect, ever).
     */
    @Test
    void doorbellDrop_whileCallerFinishesItsAnswer_backgroundThreadStillReconnects() throws Exception {
        try (FakeServer fake = new FakeServer()) {
            RemoteStorage s = fake.connect(""); // the cache on: the load registers a watch
            try {
                long oid = 42;
                CompletableFuture<Loaded> load =
                        CompletableFuture.supplyAsync(() -> s.load(oid), r -> new Thread(r, "caller-C").start());
                FakeServer.Conn c = fake.conns.get(0);
                int loadId = c.loads.take();
                // hold the bin of oid in RemoteStorage.watches: C will stop in applyLoadAnswer (unwatch)
                @SuppressWarnings("unchecked")
                Map<Long, OidWatch> watches = (Map<Long, OidWatch>)
                        field(RemoteStorage.class, "watches").get(s);
                CountDownLatch holding = new CountDownLatch(1);
                CountDownLatch letGo = new CountDownLatch(1);
                Thread holder = new Thread(
                        () -> watches.compute(oid, (k, v) -> {
                            holding.countDown();
                            try {
                                letGo.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return v;
                        }),
                        "bin-holder");
                holder.start();
                holding.await();
                PayloadWriter w = new PayloadWriter();
                Messages.writeLoaded(w, new Loaded(oid, 7, Remote.value(1), 0));
                c.write(w.frame(loadId, Op.RESULT));
                awaitStack("caller-C", "unwatch");
                c.bell.close(); // the server closes the pair (restart): the doorbell's end of stream comes first
                awaitStack("cairn-client", "awaitLastReader");
                letGo.countDown();
                assertThat(load.get(10, TimeUnit.SECONDS).oid()).isEqualTo(oid); // C got its answer
                assertThat(fake.hellos.tryAcquire(2, 10, TimeUnit.SECONDS))
                        .as("the client reconnected after the drop")
                        .isTrue();
            } finally {
                s.close();
            }
        }
    }

    /**
     * On a reconnect, the server refuses DOORBELL ("unknown doorbell token", a RETRYABLE
     * error) when the main connection closed between DOORBELL_OPEN and DOORBELL. The client
     * must dial again, not give up as it does for a protocol or credentials error.
     */
    @Test
    void reconnect_doorbellTokenUnknownOnce_clientKeepsReconnecting() throws Exception {
        try (FakeServer fake = new FakeServer()) {
            RemoteStorage s = fake.connect("connect-timeout=2");
            try {
                fake.hellos.acquire(1);
                fake.refuseNextDoorbell = true;
                fake.conns.get(0).main.close(); // a drop: the server closes the pair
                fake.conns.get(0).bell.close();
                assertThat(fake.hellos.tryAcquire(1, 10, TimeUnit.SECONDS))
                        .as("second dial")
                        .isTrue();
                assertThat(fake.hellos.tryAcquire(1, 10, TimeUnit.SECONDS))
                        .as("a third dial after the refused doorbell")
                        .isTrue();
            } finally {
                s.close();
            }
        }
    }

    private static void awaitStack(String threadPrefix, String method) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            for (Map.Entry<Thread, StackTraceElement[]> e :
                    Thread.getAllStackTraces().entrySet()) {
                if (!e.getKey().getName().startsWith(threadPrefix)) continue;
                Thread.State st = e.getKey().getState();
                if (st != Thread.State.WAITING && st != Thread.State.BLOCKED && st != Thread.State.TIMED_WAITING)
                    continue;
                for (StackTraceElement f : e.getValue()) if (f.getMethodName().equals(method)) return;
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        throw new AssertionError(threadPrefix + " never waited in " + method);
    }

    static Field field(Class<?> c, String name) throws ReflectiveOperationException {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
