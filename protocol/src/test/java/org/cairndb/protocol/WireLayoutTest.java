package org.cairndb.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cairndb.storage.Revision;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;
import org.junit.jupiter.api.Test;

/**
 * The message records write the bytes the client and server wrote by hand before them
 * (version 1 of the protocol, docs/protocol.md): each expected payload below is the
 * hand-written layout it replaced, field by field, so the records changed no byte on the wire.
 */
class WireLayoutTest {
    private static final TransactionMetadata META = new TransactionMetadata("alice", "ünïcode", new byte[] {1, 2});
    private static final TransactionRecord TXN = new TransactionRecord(
            0x0123456789ABCDEFL,
            false,
            META,
            List.of(new Revision(5, 6, new byte[] {9, 8, 7}, 0), new Revision(7, 6, null, 3)));

    private static void same(Message m, PayloadWriter handWritten) {
        assertThat(m.payload().toBytes()).as(m.op().toString()).isEqualTo(handWritten.toBytes());
        assertThat(m.frame(3)).usingRecursiveComparison().isEqualTo(handWritten.frame(3, m.op()));
    }

    @Test
    void handshake() {
        // the client's Dialer and `cairn status` wrote HELLO so
        same(
                new Message.Hello(Protocol.VERSION, "main", "s3cret", false, 77),
                new PayloadWriter(64)
                        .i32(Protocol.MAGIC)
                        .i32(Protocol.VERSION)
                        .str("main")
                        .str("s3cret")
                        .bool(false)
                        .i64(77));
        same(
                new Message.Hello(Protocol.VERSION, "", "", true, 0),
                new PayloadWriter()
                        .i32(Protocol.MAGIC)
                        .i32(Protocol.VERSION)
                        .str("")
                        .str("")
                        .bool(true)
                        .i64(0));
        same(
                new Message.Doorbell(Protocol.VERSION, -5, 6),
                new PayloadWriter(24)
                        .i32(Protocol.MAGIC)
                        .i32(Protocol.VERSION)
                        .i64(-5)
                        .i64(6));
        same(new Message.DoorbellOpen(), new PayloadWriter(0));
        same(new Message.Ping(), new PayloadWriter(0));
        same(new Message.Status(true), new PayloadWriter().bool(true));
    }

    @Test
    void readsAndViews() {
        same(new Message.Load(11), new PayloadWriter(16).i64(11));
        same(new Message.LoadBefore(11, 12), new PayloadWriter(16).i64(11).i64(12));
        same(new Message.LoadSerial(11, 12), new PayloadWriter(16).i64(11).i64(12));
        same(new Message.NewOids(100), new PayloadWriter(4).i32(100));
        same(new Message.LastTid(), new PayloadWriter(0));
        same(new Message.ObjectCount(), new PayloadWriter(0));
        same(new Message.SizeInBytes(), new PayloadWriter(0));
        same(new Message.History(11, 5), new PayloadWriter(12).i64(11).i32(5));
        same(new Message.Iterate(1, -1), new PayloadWriter(16).i64(1).i64(-1));
        same(new Message.IterateNext(9), new PayloadWriter(4).i32(9));
        same(new Message.IterateClose(9), new PayloadWriter(4).i32(9));
        same(new Message.OpenView(4), new PayloadWriter(8).i64(4));
        same(new Message.ViewLoad(4, 11), new PayloadWriter(16).i64(4).i64(11));
        same(new Message.ViewSync(4), new PayloadWriter(8).i64(4));
        same(new Message.ViewClose(4), new PayloadWriter(8).i64(4));
        same(new Message.Pack(99), new PayloadWriter(8).i64(99));
    }

    @Test
    void restores() {
        PayloadWriter one = new PayloadWriter(256);
        Messages.writeTransaction(one, TXN);
        same(new Message.Restore(TXN), one);
        PayloadWriter batch = new PayloadWriter().i32(2);
        Messages.writeTransaction(batch, TXN);
        Messages.writeTransaction(batch, TXN);
        same(new Message.RestoreBatch(List.of(TXN, TXN)), batch);
        // and the Txn layout itself, as docs/protocol.md gives it
        PayloadWriter txn = new PayloadWriter()
                .i64(TXN.tid())
                .bool(false)
                .str("alice")
                .str("ünïcode")
                .bytes(new byte[] {1, 2})
                .i32(2)
                .i64(5)
                .i64(6)
                .i64(0)
                .bytes(new byte[] {9, 8, 7})
                .i64(7)
                .i64(6)
                .i64(3)
                .bytes(null);
        assertThat(one.toBytes()).isEqualTo(txn.toBytes());
    }

    @Test
    void transaction() {
        PayloadWriter begin = new PayloadWriter(64).i64(1);
        Messages.writeMetadata(begin, META);
        same(new Message.Begin(1, META), begin);
        byte[] data = {4, 5, 6};
        same(
                new Message.Store(1, 11, 12, data),
                new PayloadWriter(28 + data.length).i64(1).i64(11).i64(12).bytes(data));
        same(
                new Message.Store(1, 11, 12, null),
                new PayloadWriter().i64(1).i64(11).i64(12).bytes(null));
        same(new Message.Delete(1, 11, 12), new PayloadWriter(24).i64(1).i64(11).i64(12));
        same(
                new Message.CheckCurrent(1, 11, 12),
                new PayloadWriter(24).i64(1).i64(11).i64(12));
        same(new Message.Undo(1, 13), new PayloadWriter(16).i64(1).i64(13));
        same(new Message.Vote(1), new PayloadWriter(8).i64(1));
        same(
                new Message.VoteToken(1, 0xABCL, 1),
                new PayloadWriter(24).i64(1).i64(0xABCL).i64(1));
        same(new Message.Finish(1), new PayloadWriter(8).i64(1));
        same(new Message.Abort(1), new PayloadWriter(8).i64(1));
    }

    @Test
    void outcome() {
        Map<Long, byte[]> written = new LinkedHashMap<>();
        written.put(5L, new byte[] {1});
        written.put(6L, null);
        // RemoteTransaction.askOutcome wrote it so
        PayloadWriter w = new PayloadWriter(32 + written.size() * 16)
                .i64(0xABCL)
                .i64(1)
                .i64(77)
                .i32(written.size());
        for (Map.Entry<Long, byte[]> e : written.entrySet())
            w.i64(e.getKey()).i64(CommitOutcome.fingerprint(e.getValue()));
        Map<Long, Long> fingerprints = new LinkedHashMap<>();
        written.forEach((oid, d) -> fingerprints.put(oid, CommitOutcome.fingerprint(d)));
        same(new Message.Outcome(0xABCL, 1, 77, fingerprints), w);
        same(
                new Message.Outcome(0xABCL, 1, 77, null),
                new PayloadWriter(32).i64(0xABCL).i64(1).i64(77).i32(-1));
    }

    @Test
    void pushes() {
        long[] oids = {5, 9};
        // ServedStorage wrote INVALIDATE so, Doorbell the RING
        same(
                new Message.Invalidate(42, oids),
                new PayloadWriter(12 + oids.length * 8).i64(42).longs(oids));
        same(new Message.Ring(3), new PayloadWriter(8).i64(3));
    }

    @Test
    void helloAnswer() {
        // Session wrote both answers so
        long[] oids = {5, 9};
        assertThat(new HelloAnswer(Protocol.VERSION, "main", 0b1011, 77, false, oids, true).frame(3))
                .usingRecursiveComparison()
                .isEqualTo(new PayloadWriter(64 + oids.length * 8)
                        .i32(Protocol.VERSION)
                        .str("main")
                        .i32(0b1011)
                        .i64(77)
                        .bool(false)
                        .longs(oids)
                        .bool(true)
                        .frame(3, Op.RESULT));
        assertThat(HelloAnswer.admin().frame(3))
                .usingRecursiveComparison()
                .isEqualTo(new PayloadWriter(32)
                        .i32(Protocol.VERSION)
                        .str("")
                        .i32(0)
                        .i64(0)
                        .bool(false)
                        .longs(new long[0])
                        .bool(true)
                        .frame(3, Op.RESULT));
    }

    @Test
    void aPingIsTheNineBytesOfTheDoc() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        FrameCodec.write(new Message.Ping().frame(7), out);
        assertThat(out.toByteArray()).containsExactly(0, 0, 0, 5, 0, 0, 0, 7, 0x18);
    }
}
