package org.cairndb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.Messages;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.storage.Storage;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.uri.Storages;

/**
 * Random and mutated frames against a live server. After each attempt the connection is
 * dropped, and a well-behaved client must still commit and load: the server did not die,
 * leaked no commit lock (a mutated session may have voted and then vanished) and still
 * answers everyone else.
 */
class ProtocolFuzzTest {
    static Storage backing;
    static CairnServer server;
    static long value;

    @BeforeContainer
    static void start() {
        backing = Storages.open("temp:");
        server = CairnServer.start(
                new ServerConfig().port(0).storage("main", backing).maxFrame(1 << 16));
    }

    @AfterContainer
    static void stop() {
        server.close();
        backing.close();
    }

    @Property(tries = 150)
    void randomBytes_serverSurvives(@ForAll("garbage") byte[] bytes, @ForAll boolean helloFirst) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(5_000);
            if (helloFirst) write(s, encode(new Frame(1, Op.HELLO, RawClient.hello("main", ""))));
            write(s, bytes);
            s.shutdownOutput(); // the server sees the end at once instead of waiting for the rest of a frame
            drain(s);
        }
        goodClientStillServed();
    }

    @Property(tries = 150)
    void mutatedSession_serverSurvivesAndReleasesLock(
            @ForAll("mutations") List<int[]> mutations, @ForAll boolean finish) throws Exception {
        byte[] session = validSession(finish);
        for (int[] m : mutations) {
            int at = Math.floorMod(m[0], session.length);
            switch (Math.floorMod(m[2], 3)) {
                case 0 -> session[at] = (byte) m[1];
                case 1 -> session[at] ^= (byte) (1 << Math.floorMod(m[1], 8));
                default -> session = java.util.Arrays.copyOf(session, at); // truncated
            }
            if (session.length == 0) break;
        }
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(5_000);
            write(s, session);
            s.shutdownOutput();
            drain(s);
        }
        goodClientStillServed();
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(200),
                // plausible headers with random ops and payloads
                Combinators.combine(
                                Arbitraries.integers().between(0, 300),
                                Arbitraries.integers(),
                                Arbitraries.bytes(),
                                Arbitraries.bytes().array(byte[].class).ofMaxSize(64))
                        .as((len, id, op, payload) -> java.nio.ByteBuffer.allocate(9 + payload.length)
                                .putInt(len)
                                .putInt(id)
                                .put(op)
                                .put(payload)
                                .array()),
                // oversize announcements
                Arbitraries.integers()
                        .between(1 << 16, Integer.MAX_VALUE)
                        .map(n -> java.nio.ByteBuffer.allocate(4).putInt(n).array()));
    }

    @Provide
    Arbitrary<List<int[]>> mutations() {
        return Combinators.combine(
                        Arbitraries.integers(),
                        Arbitraries.integers().between(0, 255),
                        Arbitraries.integers().between(0, 20))
                .as((a, b, c) -> new int[] {a, b, c})
                .list()
                .ofMinSize(1)
                .ofMaxSize(4);
    }

    /** HELLO, a transaction streamed up to VOTE (and FINISH), a load: the bytes a real client sends. */
    private static byte[] validSession(boolean finish) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(encode(new Frame(1, Op.HELLO, RawClient.hello("main", ""))));
        PayloadWriter begin = new PayloadWriter().i64(9);
        Messages.writeMetadata(begin, TransactionMetadata.of("fuzz", "x"));
        b.writeBytes(encode(begin.frame(0, Op.BEGIN)));
        b.writeBytes(encode(new PayloadWriter()
                .i64(9)
                .i64(1_000_000 + (value++ % 50))
                .i64(0)
                .bytes(new byte[] {1, 2, 3})
                .frame(0, Op.STORE)));
        b.writeBytes(encode(new PayloadWriter().i64(9).frame(2, Op.VOTE)));
        if (finish) b.writeBytes(encode(new PayloadWriter().i64(9).frame(3, Op.FINISH)));
        b.writeBytes(encode(new PayloadWriter().i64(0).frame(4, Op.LOAD)));
        return b.toByteArray();
    }

    private void goodClientStillServed() throws IOException {
        try (RawClient c = new RawClient(server.port()).hello()) {
            long oid = c.commitFresh(++value);
            assertThat(oid).isPositive();
        }
    }

    static byte[] encode(Frame f) {
        return java.nio.ByteBuffer.allocate(9 + f.payload().length)
                .putInt(5 + f.payload().length)
                .putInt(f.requestId())
                .put(f.op().code)
                .put(f.payload())
                .array();
    }

    private static void write(Socket s, byte[] b) {
        try {
            s.getOutputStream().write(b);
            s.getOutputStream().flush();
        } catch (IOException closedByServer) {
            // the server may close as soon as it sees a bad frame
        }
    }

    /** Reads what the server answers until it closes (or the deadline passes: an incomplete frame it waits for). */
    private static void drain(Socket s) {
        try {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            while (in.read(buf) >= 0) {
                // discard
            }
        } catch (SocketTimeoutException waitingForMore) {
            // the server waits for the rest of a frame: we close, it must cope
        } catch (IOException reset) {
            // closed by the server
        }
    }
}
