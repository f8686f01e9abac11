package org.cairndb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.Messages;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.Storage;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.Test;

/**
 * A client that asks for a lot and never reads (hung, stopped with SIGSTOP, or hostile) must
 * not stall anybody else's commit, must not make the server queue without bound, and must be
 * disconnected. Regression: FINISH was answered only once the commit's INVALIDATE was written
 * to every other client's socket, so every commit waited on the stuck client's full queue
 * (until the committer's own request timeout), and the queue grew without limit.
 */
class StuckClientTest {
    @Test
    void clientThatNeverReads_othersKeepCommitting_andItIsDisconnected() throws Exception {
        try (Storage backing = Storages.open("temp:");
             CairnServer server = CairnServer.start(new ServerConfig().port(0).storage("main", backing)
                     .outboundHighWater(256 << 10).maxOutboundBytes(64L << 20).writeStallTimeout(Duration.ofSeconds(1)))) {
            long big;
            try (RawClient c = new RawClient(server.port()).hello()) {
                big = commit(c, 1, new byte[1 << 20]);
            }
            // the stuck client: a tiny receive buffer, 200 loads of a 1 MiB object, never a byte read
            try (Socket stuck = new Socket()) {
                stuck.setReceiveBufferSize(4096);
                stuck.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
                stuck.setSoTimeout(30_000);
                OutputStream out = stuck.getOutputStream();
                out.write(ProtocolFuzzTest.encode(new Frame(1, Op.HELLO, RawClient.hello("main", ""))));
                for (int i = 0; i < 200; i++) out.write(ProtocolFuzzTest.encode(new PayloadWriter().i64(big).frame(100 + i, Op.LOAD)));
                out.flush();
                try (RawClient other = new RawClient(server.port()).hello()) {
                    other.socket.setSoTimeout(20_000); // a stalled FINISH fails the test instead of hanging it
                    for (int i = 0; i < 20; i++) other.commitFresh(i); // each pushes an INVALIDATE to the stuck client too
                }
                Eventually.until("the stuck client is dropped", () -> server.stats.slowPeersDropped.sum() == 1);
                assertThat(drainUntilClosed(stuck.getInputStream())).as("the stuck client's connection was reset or ended").isTrue();
            }
            // the server serves on: a new connection (the stuck client reconnecting) commits and loads
            try (RawClient c = new RawClient(server.port()).hello()) {
                c.commitFresh(99);
            }
        }
    }

    static long commit(RawClient c, long txn, byte[] payload) throws IOException {
        long oid = c.call(Op.NEW_OIDS, new PayloadWriter().i32(1)).reader().longs()[0];
        PayloadWriter begin = new PayloadWriter().i64(txn);
        Messages.writeMetadata(begin, TransactionMetadata.EMPTY);
        c.send(begin.frame(0, Op.BEGIN));
        byte[] data = new RecordHeader("t.V", new long[0]).encode(payload);
        c.send(new PayloadWriter().i64(txn).i64(oid).i64(0).bytes(data).frame(0, Op.STORE));
        c.call(Op.VOTE, new PayloadWriter().i64(txn));
        c.call(Op.FINISH, new PayloadWriter().i64(txn));
        return oid;
    }

    /** True when the stream ends or is reset; false when it is still open at the socket's deadline. */
    private static boolean drainUntilClosed(InputStream in) {
        byte[] buf = new byte[1 << 16];
        try {
            while (in.read(buf) >= 0) {
                // discard
            }
            return true;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    static byte[] eight(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }
}
