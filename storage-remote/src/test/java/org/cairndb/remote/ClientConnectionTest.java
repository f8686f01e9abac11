package org.cairndb.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.server.CairnServer;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageClosedException;
import org.cairndb.storage.StorageException;
import org.cairndb.storage.Tid;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.Test;

/** The leader/follower transport: the reading role passing between callers, pushes while idle, and every waiter woken. */
class ClientConnectionTest {
    private static final int THREADS = 12;
    private static final int LOADS = 300;

    @Test
    void call_manyThreadsOnOneConnection_eachAnswerReachesItsCaller() throws Exception {
        try (Storage backing = Storages.open("temp:");
                CairnServer server = Remote.serve(backing)) {
            long[] oids = backing.newOids(64);
            try (RemoteStorage writer = Remote.connect(server, "")) {
                for (int i = 0; i < oids.length; i++) Remote.commit(writer, oids[i], Tid.ZERO, 1000 + i);
            }
            try (RemoteStorage s = Remote.connect(server, "cache-mb=0")) {
                CyclicBarrier start = new CyclicBarrier(THREADS);
                List<CompletableFuture<Integer>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int seed = t;
                    done.add(CompletableFuture.supplyAsync(
                            () -> {
                                await(start);
                                int wrong = 0;
                                for (int n = 0; n < LOADS; n++) {
                                    int i = (seed * 31 + n * 7) % oids.length;
                                    if (Remote.valueOf(s.load(oids[i])) != 1000 + i) wrong++;
                                }
                                return wrong;
                            },
                            r -> new Thread(r, "loader-" + seed).start()));
                }
                for (CompletableFuture<Integer> f : done)
                    assertThat(f.get(60, TimeUnit.SECONDS))
                            .as("loads answered with another oid's record")
                            .isZero();
                assertThat(connection(s).callerLeads())
                        .as("callers that read answers themselves (the role passed between them)")
                        .isGreaterThan(THREADS);
            }
        }
    }

    @Test
    void push_noRequestInFlight_isReadByTheBackgroundThread() throws Exception {
        try (Storage backing = Storages.open("temp:");
                CairnServer server = Remote.serve(backing)) {
            long oid = backing.newOids(1)[0];
            try (RemoteStorage idle = Remote.connect(server, "");
                    RemoteStorage writer = Remote.connect(server, "")) {
                CompletableFuture<String> seenBy = new CompletableFuture<>();
                idle.addCommitListener(
                        (tid, changed) -> seenBy.complete(Thread.currentThread().getName()));
                long tid = Remote.commit(writer, oid, Tid.ZERO, 5);
                assertThat(seenBy.get(30, TimeUnit.SECONDS)).startsWith("cairn-client");
                assertThat(idle.lastTidSeen()).isEqualTo(tid);
            }
        }
    }

    @Test
    void drop_whileFollowersWait_wakesEachWithRetryable() throws Exception {
        try (FakeServer fake = new FakeServer();
                RemoteStorage s = fake.connect("")) {
            List<CompletableFuture<Throwable>> calls = loadsInFlight(s, 3);
            for (int i = 0; i < 3; i++)
                fake.conns.get(0).next(Op.LOAD); // all three wrote; at most one of them reads, the others follow
            fake.dropClient();
            for (CompletableFuture<Throwable> c : calls) {
                assertThat(c.get(30, TimeUnit.SECONDS))
                        .isInstanceOf(RetryableException.class)
                        .hasMessageContaining("lost");
            }
        }
    }

    @Test
    void close_whileCallersWait_wakesEachWithStorageClosed() throws Exception {
        try (FakeServer fake = new FakeServer()) {
            RemoteStorage s = fake.connect("");
            List<CompletableFuture<Throwable>> calls = loadsInFlight(s, 3);
            for (int i = 0; i < 3; i++) fake.conns.get(0).next(Op.LOAD);
            s.close();
            for (CompletableFuture<Throwable> c : calls)
                assertThat(c.get(30, TimeUnit.SECONDS)).isInstanceOf(StorageClosedException.class);
        }
    }

    @Test
    void call_noAnswerBeforeTheDeadline_failsThatRequestOnly() throws Exception {
        try (FakeServer fake = new FakeServer();
                RemoteStorage s = fake.connect("request-timeout=1")) {
            List<CompletableFuture<Throwable>> calls = loadsInFlight(s, 2);
            for (CompletableFuture<Throwable> c : calls) {
                assertThat(c.get(30, TimeUnit.SECONDS))
                        .isInstanceOf(StorageException.class)
                        .hasMessageContaining("request timeout");
            }
            // the connection survived its deadlines: the next request is answered
            CompletableFuture<Long> last = CompletableFuture.supplyAsync(s::lastTid);
            FakeServer.Conn c = fake.conns.get(0);
            c.write(new PayloadWriter().i64(0).frame(c.next(Op.LAST_TID).requestId(), Op.RESULT));
            assertThat(last.get(30, TimeUnit.SECONDS)).isZero();
        }
    }

    private static List<CompletableFuture<Throwable>> loadsInFlight(RemoteStorage s, int n) {
        List<CompletableFuture<Throwable>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long oid = 100 + i;
            CompletableFuture<Throwable> c = new CompletableFuture<>();
            new Thread(
                            () -> {
                                try {
                                    s.load(oid);
                                    c.complete(null);
                                } catch (Throwable t) {
                                    c.complete(t);
                                }
                            },
                            "caller-" + i)
                    .start();
            calls.add(c);
        }
        return calls;
    }

    private static ClientConnection connection(RemoteStorage s) throws ReflectiveOperationException {
        Field f = RemoteStorage.class.getDeclaredField("conn");
        f.setAccessible(true);
        return (ClientConnection) f.get(s);
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
