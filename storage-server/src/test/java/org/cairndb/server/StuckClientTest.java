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
                CairnServer server = CairnServer.start(new ServerConfig()
                        .port(0)
                        .storage("main", backing)
                        .outboundHighWater(256 << 10)
                        .maxOutboundBytes(64L << 20)
                        .writeStallTimeout(Duration.ofSeconds(1)))) {
            long big;
            try (RawClient c = new RawClient(server.port()).hello()) {
                big = commit(c, 1, new byte[1 << 20]);
            }
            // the stuck client: a tiny receive buffer, 200 loads of a 1 MiB object, never a byte read
            try (Socket stuck = neverReading(server.port(), big, 200)) {
                try (RawClient other = new RawClient(server.port()).hello()) {
                    other.socket.setSoTimeout(20_000); // a stalled FINISH fails the test instead of hanging it
                    for (int i = 0; i < 20; i++)
                        other.commitFresh(i); // each pushes an INVALIDATE to the stuck client too
                }
                Eventually.until("the stuck client is dropped", () -> server.stats.slowPeersDropped.sum() == 1);
                assertThat(drainUntilClosed(stuck.getInputStream()))
                        .as("the stuck client's connection was reset or ended")
                        .isTrue();
            }
            // the server serves on: a new connection (the stuck client reconnecting) commits and loads
            try (RawClient c = new RawClient(server.port()).hello()) {
                c.commitFresh(99);
            }
        }
    }

    /**
     * Regression: the idle timeout never closed a client that does not read, because its
     * refusal closed the connection only once the error frame was written behind the queue.
     * (The write-stall timer is off here, so only the idle timeout can close it.)
     */
    @Test
    void idleTimeout_closesAClientThatDoesNotRead() throws Exception {
        try (Storage backing = Storages.open("temp:");
                CairnServer server = CairnServer.start(new ServerConfig()
                        .port(0)
                        .storage("main", backing)
                        .outboundHighWater(256 << 10)
                        .writeStallTimeout(Duration.ZERO)
                        .idleTimeout(Duration.ofMillis(500)))) {
            long big;
            try (RawClient c = new RawClient(server.port()).hello()) {
                big = commit(c, 1, new byte[1 << 20]);
            }
            try (Socket stuck = neverReading(server.port(), big, 20)) {
                Eventually.until("the idle timeout drops the client", () -> server.stats.slowPeersDropped.sum() == 1);
                assertThat(drainUntilClosed(stuck.getInputStream())).isTrue();
            }
        }
    }

    /**
     * The same with a real client process that reads until it is stopped with SIGSTOP: its
     * outstanding loads and the commits' INVALIDATEs pile up above the high water mark, nothing
     * leaves the queue, the write-stall timer drops it; the others' commits never wait for it.
     */
    @Test
    @org.junit.jupiter.api.condition.EnabledOnOs({
        org.junit.jupiter.api.condition.OS.LINUX,
        org.junit.jupiter.api.condition.OS.MAC
    })
    void clientProcessStoppedWithSigstop_othersKeepCommitting_andItIsDropped() throws Exception {
        try (Storage backing = Storages.open("temp:");
                CairnServer server = CairnServer.start(new ServerConfig()
                        .port(0)
                        .storage("main", backing)
                        .outboundHighWater(256 << 10)
                        .writeStallTimeout(Duration.ofSeconds(1)))) {
            long big;
            try (RawClient c = new RawClient(server.port()).hello()) {
                big = commit(
                        c,
                        1,
                        new byte[4 << 20]); // eight loads in flight: far more than the kernel's socket buffers hold
            }
            String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString();
            Process child = new ProcessBuilder(
                            javaBin,
                            "-cp",
                            System.getProperty("java.class.path"),
                            PipeliningLoader.class.getName(),
                            String.valueOf(server.port()),
                            String.valueOf(big))
                    .redirectErrorStream(true)
                    .start();
            try {
                var lines = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()));
                assertThat(lines.readLine()).isEqualTo("streaming");
                signal("STOP", child.pid());
                try (RawClient other = new RawClient(server.port()).hello()) {
                    other.socket.setSoTimeout(
                            20_000); // a commit stalled by the stopped process fails the test instead of hanging it
                    for (int i = 0; i < 20; i++) other.commitFresh(i);
                }
                Eventually.until("the stopped client is dropped", () -> server.stats.slowPeersDropped.sum() == 1);
                signal("CONT", child.pid());
                assertThat(child.waitFor())
                        .as("the client process saw its connection dropped")
                        .isEqualTo(3);
            } finally {
                signal("CONT", child.pid());
                child.destroyForcibly();
            }
        }
    }

    private static void signal(String sig, long pid) throws Exception {
        new ProcessBuilder("kill", "-" + sig, String.valueOf(pid))
                .inheritIO()
                .start()
                .waitFor();
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

    /**
     * A client that says HELLO and asks for {@code loads} loads of {@code oid} with a tiny
     * receive buffer, then reads nothing: what the server queues for it stays queued.
     */
    private static Socket neverReading(int port, long oid, int loads) throws java.io.IOException {
        Socket stuck = new Socket();
        stuck.setReceiveBufferSize(4096);
        stuck.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        stuck.setSoTimeout(30_000);
        OutputStream out = stuck.getOutputStream();
        out.write(ProtocolFuzzTest.encode(new Frame(1, Op.HELLO, RawClient.hello("main", ""))));
        for (int i = 0; i < loads; i++)
            out.write(ProtocolFuzzTest.encode(new PayloadWriter().i64(oid).frame(100 + i, Op.LOAD)));
        out.flush();
        return stuck;
    }
}
