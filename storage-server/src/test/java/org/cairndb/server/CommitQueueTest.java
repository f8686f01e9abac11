package org.cairndb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.Messages;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.Storage;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Commits of several real connections queued on one single-writer storage: votes are
 * admitted in the order the server received them, each the moment the transaction before it
 * finishes, and a client that disconnects while queued leaves the queue at once. The client
 * side cannot observe arrival at the server (so the conformance kit's arrival-order check is
 * opted out for cairn://); here the test waits on the commit queue's own queue-length events to know
 * each vote has arrived before sending the next.
 */
class CommitQueueTest {
    private static final int VOTE_ID = 1000;

    private Storage backing;
    private CairnServer server;
    private final BlockingQueue<Integer> queueLengths = new LinkedBlockingQueue<>();
    private final Map<String, RawClient> clients = new LinkedHashMap<>();
    private final Map<String, Long> oids = new LinkedHashMap<>();

    @BeforeEach
    void start() {
        backing = Storages.open("temp:");
        server = CairnServer.start(new ServerConfig().port(0).storage("main", backing));
        server.served("main").commitQueue.observeQueue(queueLengths::add);
    }

    @AfterEach
    void stop() throws IOException {
        for (RawClient c : clients.values()) c.close();
        server.close();
        backing.close();
    }

    /** A connection with a transaction that stored one new object, not yet voted. */
    private RawClient client(String name) throws IOException {
        RawClient c = new RawClient(server.port()).hello();
        long oid = c.call(Op.NEW_OIDS, new PayloadWriter().i32(1)).reader().longs()[0];
        PayloadWriter begin = new PayloadWriter().i64(1);
        Messages.writeMetadata(begin, TransactionMetadata.of(name, "queued"));
        c.send(begin.frame(0, Op.BEGIN));
        byte[] data = new RecordHeader("t.V", new long[0])
                .encode(ByteBuffer.allocate(8).putLong(oid).array());
        c.send(new PayloadWriter().i64(1).i64(oid).i64(0).bytes(data).frame(0, Op.STORE));
        clients.put(name, c);
        oids.put(name, oid);
        return c;
    }

    /** Sends VOTE and waits until the server has queued it in the commit queue (the queue says so). */
    private void voteQueued(RawClient c, int expectedQueueLength) throws Exception {
        c.send(new PayloadWriter().i64(1).frame(VOTE_ID, Op.VOTE));
        awaitQueueLength(expectedQueueLength);
    }

    private void awaitQueueLength(int n) throws InterruptedException {
        while (true) {
            Integer len = queueLengths.poll(60, TimeUnit.SECONDS); // a deadline that fails the test, not a pace
            assertThat(len).as("commit queue length event (waiting for %d)", n).isNotNull();
            if (len == n) return;
        }
    }

    /** Blocks until the answer to the queued VOTE arrives: it comes when the commit queue admits the vote. */
    private static void voteAnswered(RawClient c) throws IOException {
        while (true) {
            Frame f = c.receive();
            if (f.op() == Op.INVALIDATE) continue;
            assertThat(f.requestId()).isEqualTo(VOTE_ID);
            assertThat(f.op()).as("vote answer").isEqualTo(Op.RESULT);
            return;
        }
    }

    private static long finish(RawClient c) throws IOException {
        return c.call(Op.FINISH, new PayloadWriter().i64(1)).reader().i64();
    }

    @Test
    void votes_queued_admittedInArrivalOrder_eachWhenThePreviousFinishes() throws Exception {
        RawClient holder = client("holder");
        holder.call(Op.VOTE, new PayloadWriter().i64(1)); // holds the commit queue and the commit lock
        List<String> arrival = List.of("d", "b", "c", "e"); // not the order the connections were made
        for (String n : List.of("b", "c", "d", "e")) client(n);
        for (int i = 0; i < arrival.size(); i++) voteQueued(clients.get(arrival.get(i)), i + 1);
        assertThat(server.served("main").commitQueue.queueLength()).isEqualTo(4);

        long last = finish(holder);
        for (int i = 0; i < arrival.size(); i++) {
            RawClient c = clients.get(arrival.get(i));
            voteAnswered(c); // woken by the previous finish
            // everyone behind it is still queued: admitted by a release, not by any timer
            assertThat(server.served("main").commitQueue.queueLength()).isEqualTo(arrival.size() - 1 - i);
            long tid = finish(c);
            assertThat(Long.compareUnsigned(tid, last))
                    .as("commit order is arrival order")
                    .isPositive();
            assertThat(backing.load(oids.get(arrival.get(i))).tid()).isEqualTo(tid);
            last = tid;
        }
    }

    @Test
    void queuedClientDisconnects_leavesTheQueue_nextServedByTheRelease() throws Exception {
        RawClient holder = client("holder");
        holder.call(Op.VOTE, new PayloadWriter().i64(1));
        RawClient gone = client("gone");
        RawClient next = client("next");
        voteQueued(gone, 1);
        voteQueued(next, 2);

        gone.close();
        awaitQueueLength(1); // taken out of the queue as soon as the server saw the drop
        assertThat(server.served("main").commitQueue.queueLength()).isEqualTo(1);

        finish(holder);
        voteAnswered(next); // served at once by the release: the dropped vote is not in the way
        long tid = finish(next);
        assertThat(backing.lastTid()).isEqualTo(tid);
        assertThatThrownBy(() -> backing.load(oids.get("gone"))).isInstanceOf(PosKeyException.class); // never committed
        try (RawClient fresh = new RawClient(server.port()).hello()) {
            fresh.commitFresh(7); // nothing left locked
        }
    }
}
