package org.cairndb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.cairndb.protocol.Messages;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.Test;

/** The commit lock of a single-writer storage is bounded in time, and waiting for it is not idleness. */
class VoteDeadlineTest {
    /**
     * Regression: a client that voted and then only pinged held the commit lock for as long as
     * it liked (40 s measured; a silent one until the 5 min idle timeout); every other commit
     * waited.
     */
    @Test
    void clientThatVotesAndNeverFinishes_isAbortedAtTheDeadline_andOthersCommit() throws Exception {
        try (Storage backing = Storages.open("temp:");
                CairnServer server = CairnServer.start(
                        new ServerConfig().port(0).storage("main", backing).voteTimeout(Duration.ofMillis(500)));
                RawClient holder = new RawClient(server.port()).hello();
                RawClient other = new RawClient(server.port()).hello()) {
            long oid = holder.call(Op.NEW_OIDS, new PayloadWriter().i32(1))
                    .reader()
                    .longs()[0];
            PayloadWriter begin = new PayloadWriter().i64(1);
            Messages.writeMetadata(begin, TransactionMetadata.EMPTY);
            holder.send(begin.frame(0, Op.BEGIN));
            holder.send(
                    new PayloadWriter().i64(1).i64(oid).i64(0).bytes(record(1)).frame(0, Op.STORE));
            holder.call(Op.VOTE, new PayloadWriter().i64(1)); // holds the commit lock from here
            holder.call(Op.PING, new PayloadWriter());
            other.socket.setSoTimeout(20_000); // a lock never released fails the test instead of hanging it
            other.commitFresh(2);
            assertThatThrownBy(() -> holder.call(Op.FINISH, new PayloadWriter().i64(1)))
                    .isInstanceOf(RetryableException.class)
                    .hasMessageContaining("--vote-timeout")
                    .hasMessageContaining("NOT committed");
            assertThatThrownBy(() -> backing.load(oid)).isInstanceOf(PosKeyException.class);
            assertThat(server.stats.voteDeadlinesExpired.sum()).isEqualTo(1);
            holder.commitFresh(3); // the connection goes on
        }
    }

    /**
     * Regression: a committer queued for the commit lock sends nothing while it waits for its
     * vote's answer, and the idle timeout disconnected it (and aborted its transaction).
     */
    @Test
    void committerWaitingForTheLock_isNotIdle() throws Exception {
        try (Storage backing = Storages.open("temp:");
                CairnServer server = CairnServer.start(
                        new ServerConfig().port(0).storage("main", backing).idleTimeout(Duration.ofMillis(300)))) {
            long oid = backing.newOids(1)[0];
            StorageTransaction direct = backing.begin(TransactionMetadata.EMPTY);
            direct.store(backing.newOids(1)[0], 0, record(9));
            direct.vote(); // this test holds the storage's commit lock
            RawClient waiter = new RawClient(server.port()).hello(); // closed with the server
            PayloadWriter begin = new PayloadWriter().i64(1);
            Messages.writeMetadata(begin, TransactionMetadata.EMPTY);
            waiter.send(begin.frame(0, Op.BEGIN));
            waiter.send(
                    new PayloadWriter().i64(1).i64(oid).i64(0).bytes(record(1)).frame(0, Op.STORE));
            waiter.send(new PayloadWriter().i64(1).frame(50, Op.VOTE));
            Eventually.until(
                    "the vote waits for the lock",
                    () -> server.served("main").votesInProgress.get() == 1);
            Thread.sleep(1_500); // five idle timeouts pass while it waits
            direct.finish();
            assertThat(waiter.receive().requestId()).isEqualTo(0); // the INVALIDATE of the direct commit
            assertThat(waiter.receive().op()).isEqualTo(Op.RESULT); // the vote's answer
            long tid =
                    waiter.call(Op.FINISH, new PayloadWriter().i64(1)).reader().i64();
            assertThat(backing.load(oid).tid()).isEqualTo(tid);
        }
    }

    private static byte[] record(long v) {
        return new RecordHeader("t.V", new long[0])
                .encode(ByteBuffer.allocate(8).putLong(v).array());
    }
}
