package org.cairndb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.cairndb.protocol.ErrorCodec;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.protocol.Protocol;
import org.cairndb.protocol.ProtocolException;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageMisuseException;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.Test;

/**
 * Inputs that used to take the server down, each against a live server over real sockets:
 * after each, a well-behaved client still commits.
 */
class HostileInputTest {
    /** Regression: a 28-byte HELLO announcing a 2 GiB string made the server allocate it (PayloadReader.need overflowed). */
    @Test
    void helloAnnouncingTwoGiB_isAProtocolError() throws Exception {
        try (Storage backing = Storages.open("temp:");
                CairnServer server =
                        CairnServer.start(new ServerConfig().port(0).storage("main", backing));
                RawClient c = new RawClient(server.port())) {
            byte[] p = new PayloadWriter()
                    .i32(Protocol.MAGIC)
                    .i32(Protocol.VERSION)
                    .i32(Integer.MAX_VALUE)
                    .i32(0)
                    .i32(0)
                    .toBytes();
            c.send(new Frame(1, Op.HELLO, p));
            Frame err = c.receive();
            assertThat(err.op()).isEqualTo(Op.ERROR);
            assertThat(ErrorCodec.decode(err, "test"))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("needs 2147483647 bytes");
            goodClientCommits(server);
        }
    }

    /** Regression: an unauthenticated connection could announce a 64 MiB frame and trickle it, pinning the memory. */
    @Test
    void bigFrameBeforeHello_isRefusedFromItsLength() throws Exception {
        try (Storage backing = Storages.open("temp:");
                CairnServer server =
                        CairnServer.start(new ServerConfig().port(0).storage("main", backing));
                RawClient c = new RawClient(server.port())) {
            c.socket.setSoTimeout(10_000);
            c.out.writeInt(1 << 20);
            c.out.flush();
            Frame err = c.receive();
            assertThat(ErrorCodec.decode(err, "test"))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("before its HELLO");
            goodClientCommits(server);
        }
    }

    /** Regression: a connection that never sent HELLO stayed open until the idle timeout (5 min), so idle connections exhausted descriptors. */
    @Test
    void noHelloInTime_connectionClosedWithALimitError() throws Exception {
        try (Storage backing = Storages.open("temp:");
                CairnServer server = CairnServer.start(
                        new ServerConfig().port(0).storage("main", backing).helloTimeout(Duration.ofMillis(300)));
                RawClient silent = new RawClient(server.port())) {
            silent.socket.setSoTimeout(20_000);
            Frame err = silent.receive();
            assertThat(ErrorCodec.decode(err, "test"))
                    .isInstanceOf(RetryableException.class)
                    .hasMessageContaining("no HELLO within 300 ms");
            assertThat(silent.in.read()).isEqualTo(-1);
            goodClientCommits(server);
        }
    }

    /** Regression: connections were not capped; one host could open them until the server ran out of file descriptors. */
    @Test
    void connectionsPerAddress_capped_withAClearRefusal() throws Exception {
        try (Storage backing = Storages.open("temp:");
                CairnServer server = CairnServer.start(
                        new ServerConfig().port(0).storage("main", backing).maxConnectionsPerAddress(2));
                RawClient a = new RawClient(server.port()).hello();
                RawClient b = new RawClient(server.port()).hello();
                RawClient c = new RawClient(server.port())) {
            c.socket.setSoTimeout(20_000);
            assertThat(ErrorCodec.decode(c.receive(), "test"))
                    .isInstanceOf(RetryableException.class)
                    .hasMessageContaining("2 connections open from 127.0.0.1")
                    .hasMessageContaining("--max-connections-per-address");
            a.commitFresh(1);
            b.close();
            Eventually.until("b's close is counted", () -> server.limits.open() == 1);
            goodClientCommits(server);
        }
    }

    /** Regression: NEW_OIDS took any count; a failed request for 2^31-1 still used up 2^31 oids. */
    @Test
    void newOids_capped_andARefusedRequestAllocatesNothing() throws Exception {
        try (Storage backing = Storages.open("temp:");
                CairnServer server =
                        CairnServer.start(new ServerConfig().port(0).storage("main", backing));
                RawClient c = new RawClient(server.port()).hello()) {
            long first =
                    c.call(Op.NEW_OIDS, new PayloadWriter().i32(1)).reader().longs()[0];
            assertThatThrownBy(() -> c.call(Op.NEW_OIDS, new PayloadWriter().i32(Integer.MAX_VALUE)))
                    .isInstanceOf(StorageMisuseException.class)
                    .hasMessageContaining("out of range 1.." + Protocol.MAX_NEW_OIDS);
            assertThatThrownBy(() -> c.call(Op.NEW_OIDS, new PayloadWriter().i32(-5)))
                    .isInstanceOf(StorageMisuseException.class);
            assertThat(c.call(Op.NEW_OIDS, new PayloadWriter().i32(Protocol.MAX_NEW_OIDS))
                            .reader()
                            .longs())
                    .hasSize(Protocol.MAX_NEW_OIDS);
            assertThat(c.call(Op.NEW_OIDS, new PayloadWriter().i32(1)).reader().longs()[0])
                    .isEqualTo(first + 1 + Protocol.MAX_NEW_OIDS);
        }
    }

    /**
     * Regression: the request pool was unbounded (8 clients pipelining loads took the server from
     * 26 to 396 threads). Here every load blocks until released: the old server started a thread
     * per load; now at most --worker-threads run, and the clients whose loads wait are read no
     * more until a thread takes them. Every load is still answered.
     */
    @Test
    void pipelinedLoads_runOnABoundedPool_andAllAreAnswered() throws Exception {
        try (Storage backing = Storages.open("temp:")) {
            long oid;
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger started = new AtomicInteger();
            Set<Thread> loaders = ConcurrentHashMap.newKeySet();
            Storage blocking = (Storage) Proxy.newProxyInstance(
                    Storage.class.getClassLoader(), new Class<?>[] {Storage.class}, (p, m, a) -> {
                        if (m.getName().equals("load")) {
                            loaders.add(Thread.currentThread());
                            started.incrementAndGet();
                            release.await();
                        }
                        try {
                            return m.invoke(backing, a);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            try (CairnServer server = CairnServer.start(
                    new ServerConfig().port(0).storage("main", blocking).workerThreads(2))) {
                try (RawClient c = new RawClient(server.port()).hello()) {
                    oid = StuckClientTest.commit(c, 1, new byte[8]);
                }
                List<Socket> clients = new ArrayList<>();
                try {
                    for (int i = 0; i < 8; i++) {
                        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
                        s.setSoTimeout(30_000);
                        clients.add(s);
                        s.getOutputStream()
                                .write(ProtocolFuzzTest.encode(new Frame(1, Op.HELLO, RawClient.hello("main", ""))));
                        for (int j = 0; j < 50; j++)
                            s.getOutputStream()
                                    .write(ProtocolFuzzTest.encode(
                                            new PayloadWriter().i64(oid).frame(2 + j, Op.LOAD)));
                        s.getOutputStream().flush();
                    }
                    Eventually.until("two loads run", () -> started.get() >= 2);
                    Thread.sleep(500); // give an unbounded pool the time to start a thread per load (the old behaviour)
                    release.countDown();
                    for (Socket s : clients) {
                        DataInputStream in = new DataInputStream(s.getInputStream());
                        for (int j = 0; j < 51; j++) { // HELLO and 50 loads
                            int len = in.readInt();
                            in.skipNBytes(4);
                            assertThat(in.readByte()).isEqualTo(Op.RESULT.code);
                            in.skipNBytes(len - 5);
                        }
                    }
                } finally {
                    for (Socket s : clients) s.close();
                }
                assertThat(started.get()).isEqualTo(8 * 50);
                assertThat(loaders).as("threads that ran loads").hasSizeLessThanOrEqualTo(2);
            }
        }
    }

    private static void goodClientCommits(CairnServer server) throws IOException {
        try (RawClient c = new RawClient(server.port()).hello()) {
            c.commitFresh(7);
        }
    }
}
