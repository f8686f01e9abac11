package org.cairndb.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.Test;

/**
 * The doorbell from the client's side: sequential callers never wake the background thread,
 * yet every push reaches an idle client (also one written just after its last answer), and an
 * idle client learns at once that the server went away.
 */
class DoorbellTest {

    @Test
    void sequentialLoads_readTheirOwnAnswers_theBackgroundThreadNeverLeads() throws Exception {
        try (Storage backing = Storages.open("temp:");
                CairnServer server = Remote.serve(backing)) {
            long oid = backing.newOids(1)[0];
            try (RemoteStorage s = Remote.connect(server, "cache-mb=0")) {
                Remote.commit(s, oid, Tid.ZERO, 1);
                long before = connection(s).backgroundLeads();
                for (int i = 0; i < 2_000; i++)
                    assertThat(Remote.valueOf(s.load(oid))).isEqualTo(1);
                assertThat(connection(s).backgroundLeads())
                        .as("times the background thread took the reading role")
                        .isEqualTo(before);
            }
        }
    }

    /**
     * The reader loads while the writer commits, so the writer's push lands before, between or
     * just after the reader's answers; the reader then waits for nothing. Each push must still
     * reach it: read by its load, or rung for. A missed ring leaves the listener silent.
     */
    @Test
    void push_racingTheLastAnswer_reachesTheIdleClient() throws Exception {
        try (Storage backing = Storages.open("temp:");
                CairnServer server = Remote.serve(backing)) {
            long[] oids = backing.newOids(2);
            try (RemoteStorage reader = Remote.connect(server, "cache-mb=0");
                    RemoteStorage writer = Remote.connect(server, "")) {
                long serial = Remote.commit(writer, oids[0], Tid.ZERO, 0);
                Remote.commit(writer, oids[1], Tid.ZERO, 0);
                BlockingQueue<Long> seen = new LinkedBlockingQueue<>();
                reader.addCommitListener((tid, changed) -> seen.add(tid));
                reader.load(oids[1]);
                seen.clear();
                for (int i = 0; i < 300; i++) {
                    int loads = i % 3;
                    CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
                        for (int n = 0; n < loads; n++) reader.load(oids[1]);
                    });
                    serial = Remote.commit(writer, oids[0], serial, i);
                    reading.get(30, TimeUnit.SECONDS);
                    Long tid = seen.poll(30, TimeUnit.SECONDS); // a deadline: without the ring it never comes
                    assertThat(tid)
                            .as("invalidation of commit %d seen by the idle reader", i)
                            .isEqualTo(serial);
                }
                assertThat(connection(reader).backgroundLeads())
                        .as("pushes read by the rung background thread")
                        .isPositive();
            }
        }
    }

    /**
     * The server owes an answer whose caller gave up (its vote timed out waiting for the commit
     * lock), so it does not ring for a push written meanwhile: the client must read on by itself.
     */
    @Test
    void push_whileAnAbandonedAnswerIsOwed_stillReachesTheIdleClient() throws Exception {
        try (Storage backing = Storages.open("temp:");
                CairnServer server = Remote.serve(backing)) {
            long[] oids = backing.newOids(2);
            try (RemoteStorage impatient = Remote.connect(server, "request-timeout=1");
                    RemoteStorage holder = Remote.connect(server, "")) {
                StorageTransaction h = holder.begin(TransactionMetadata.EMPTY);
                h.store(oids[0], Tid.ZERO, Remote.value(1));
                h.vote(); // holds the commit lock
                CompletableFuture<Long> seen = new CompletableFuture<>();
                impatient.addCommitListener((tid, changed) -> seen.complete(tid));
                StorageTransaction t = impatient.begin(TransactionMetadata.EMPTY);
                t.store(oids[1], Tid.ZERO, Remote.value(2));
                assertThatThrownBy(t::vote).hasMessageContaining("request timeout");
                long tid = h.finish(); // pushed to the impatient client while the answer to its vote is still owed
                assertThat(seen.get(30, TimeUnit.SECONDS)).isEqualTo(tid);
            }
        }
    }

    @Test
    void serverGoes_idleClientNoticesAtOnce_andReconnectsOnItsOwn() throws Exception {
        try (Storage backing = Storages.open("temp:")) {
            long oid = backing.newOids(1)[0];
            CairnServer first = Remote.serve(backing);
            int port = first.port();
            try (RemoteStorage idle = Remote.connect(port, "")) {
                Link before = connection(idle).link();
                first.close();
                before.gone.get(30, TimeUnit.SECONDS); // no request made: the doorbell's end of stream dropped it
                try (CairnServer second =
                                CairnServer.start(new ServerConfig().port(port).storage("main", backing));
                        RemoteStorage writer = Remote.connect(second, "")) {
                    Link after = connection(idle).awaitReady();
                    assertThat(after.generation).isGreaterThan(before.generation);
                    CompletableFuture<Long> seen = new CompletableFuture<>();
                    idle.addCommitListener((tid, changed) -> seen.complete(tid));
                    long tid = Remote.commit(writer, oid, Tid.ZERO, 7);
                    assertThat(seen.get(30, TimeUnit.SECONDS)).isEqualTo(tid);
                }
            }
        }
    }

    static ClientConnection connection(RemoteStorage s) throws ReflectiveOperationException {
        Field f = RemoteStorage.class.getDeclaredField("conn");
        f.setAccessible(true);
        return (ClientConnection) f.get(s);
    }
}
