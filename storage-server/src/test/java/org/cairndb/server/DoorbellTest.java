package org.cairndb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import org.cairndb.protocol.ErrorCodec;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.Messages;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadReader;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.protocol.Protocol;
import org.cairndb.protocol.ProtocolException;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.Test;

/**
 * The server's doorbell, on the wire: it rings for a push only when the client awaits no
 * answer, the RING counts the pushes written so far, and a doorbell connection lives and dies
 * with the connection that opened it.
 */
class DoorbellTest {

    @Test
    void ring_onlyForPushesToAClientAwaitingNothing_countsAllPushesSoFar() throws Exception {
        try (Storage backing = Storages.open("temp:");
                CairnServer server =
                        CairnServer.start(new ServerConfig().port(0).storage("main", backing));
                RawClient x = new RawClient(server.port()).hello();
                RawClient y = new RawClient(server.port()).hello();
                RawClient z = new RawClient(server.port()).hello();
                RawClient bell = doorbell(server, y)) {
            long[] oids =
                    x.call(Op.NEW_OIDS, new PayloadWriter().i32(2)).reader().longs();
            begin(x, oids[0]);
            x.call(Op.VOTE, new PayloadWriter().i64(1)); // x holds the commit lock
            begin(y, oids[1]);
            y.send(new PayloadWriter().i64(1).frame(100, Op.VOTE)); // waits for x: y is owed an answer
            y.call(Op.PING, new PayloadWriter()); // answered: so the server has read the VOTE before it
            long tid1 = x.call(Op.FINISH, new PayloadWriter().i64(1))
                    .reader()
                    .i64(); // pushed to y: no ring, y reads for its vote

            Frame push = y.receive();
            assertThat(push.op()).isEqualTo(Op.INVALIDATE);
            assertThat(push.reader().i64()).isEqualTo(tid1);
            Frame vote = y.receive();
            assertThat(vote.op()).isEqualTo(Op.RESULT);
            assertThat(vote.requestId()).isEqualTo(100);
            y.call(Op.FINISH, new PayloadWriter().i64(1)); // its own push comes before the answer: no ring

            z.commitFresh(3); // y awaits nothing now: this one rings
            Frame ring = bell.receive();
            assertThat(ring.op()).isEqualTo(Op.RING);
            assertThat(ring.requestId()).isZero();
            PayloadReader r = ring.reader();
            assertThat(r.i64())
                    .as("pushes written to y so far (the first ring: none rang before)")
                    .isEqualTo(3);
            r.end();
        }
    }

    @Test
    void doorbell_unknownToken_refusedWithTheReason() throws Exception {
        try (Storage backing = Storages.open("temp:");
                CairnServer server =
                        CairnServer.start(new ServerConfig().port(0).storage("main", backing));
                RawClient bell = new RawClient(server.port())) {
            bell.send(attach(1, 2).frame(1, Op.DOORBELL));
            Frame f = bell.receive();
            assertThat(f.op()).isEqualTo(Op.ERROR);
            assertThat(ErrorCodec.decode(f, "test"))
                    .as("retryable: the usual cause is a connection that closed meanwhile")
                    .isInstanceOf(RetryableException.class)
                    .hasMessageContaining("unknown doorbell token");
            try (RawClient other = new RawClient(server.port()).hello()) {
                other.commitFresh(1); // the server goes on
            }
        }
    }

    @Test
    void doorbell_requestOnIt_orDoorbellOnAnOpenConnection_areProtocolErrors() throws Exception {
        try (Storage backing = Storages.open("temp:");
                CairnServer server =
                        CairnServer.start(new ServerConfig().port(0).storage("main", backing));
                RawClient y = new RawClient(server.port()).hello();
                RawClient bell = doorbell(server, y)) {
            bell.send(new PayloadWriter().frame(9, Op.PING));
            Frame f = bell.receive();
            assertThat(ErrorCodec.decode(f, "test"))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("only RING frames");
            assertThatThrownBy(() -> y.receive()).as("the pair closes together").isInstanceOf(EOFException.class);
        }
        try (Storage backing = Storages.open("temp:");
                CairnServer server =
                        CairnServer.start(new ServerConfig().port(0).storage("main", backing));
                RawClient y = new RawClient(server.port()).hello()) {
            y.send(attach(1, 2).frame(5, Op.DOORBELL));
            assertThat(ErrorCodec.decode(y.receive(), "test"))
                    .hasMessageContaining("first frame of a second connection");
        }
    }

    @Test
    void mainConnectionCloses_itsDoorbellCloses_andTheTokenIsGone() throws Exception {
        try (Storage backing = Storages.open("temp:");
                CairnServer server =
                        CairnServer.start(new ServerConfig().port(0).storage("main", backing))) {
            RawClient y = new RawClient(server.port()).hello();
            Frame token = y.call(Op.DOORBELL_OPEN, new PayloadWriter());
            try (RawClient bell = doorbell(server, token)) {
                y.close();
                assertThatThrownBy(bell::receive).isInstanceOf(EOFException.class);
            }
            try (RawClient late = doorbell(server, token)) {
                throw new AssertionError("a doorbell attached with the token of a closed connection");
            } catch (RetryableException expected) {
                assertThat(expected).hasMessageContaining("unknown doorbell token");
            }
        }
    }

    private static RawClient doorbell(CairnServer server, RawClient owner) throws IOException {
        return doorbell(server, owner.call(Op.DOORBELL_OPEN, new PayloadWriter()));
    }

    private static RawClient doorbell(CairnServer server, Frame tokenAnswer) throws IOException {
        PayloadReader t = tokenAnswer.reader();
        long high = t.i64();
        long low = t.i64();
        t.end();
        RawClient bell = new RawClient(server.port());
        bell.send(attach(high, low).frame(1, Op.DOORBELL));
        Frame f = bell.receive();
        if (f.op() == Op.ERROR) {
            bell.close();
            throw ErrorCodec.decode(f, "doorbell");
        }
        assertThat(f.op()).isEqualTo(Op.RESULT);
        return bell;
    }

    private static PayloadWriter attach(long high, long low) {
        return new PayloadWriter()
                .i32(Protocol.MAGIC)
                .i32(Protocol.VERSION)
                .i64(high)
                .i64(low);
    }

    private static void begin(RawClient c, long oid) throws IOException {
        PayloadWriter begin = new PayloadWriter().i64(1);
        Messages.writeMetadata(begin, TransactionMetadata.EMPTY);
        c.send(begin.frame(0, Op.BEGIN));
        byte[] data = new RecordHeader("t.V", new long[0]).encode(new byte[8]);
        c.send(new PayloadWriter().i64(1).i64(oid).i64(0).bytes(data).frame(0, Op.STORE));
    }
}
