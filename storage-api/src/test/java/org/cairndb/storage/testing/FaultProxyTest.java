package org.cairndb.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import org.cairndb.storage.testing.FaultProxy.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The proxy's faults against a server that answers every frame (same request id, op 64, payload echoed). */
class FaultProxyTest {
    private static final int FINISH = 13;
    private static final int LOAD = 2;
    private final ServerSocket echo;
    private final AtomicInteger received = new AtomicInteger();

    FaultProxyTest() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread h = new Thread(() -> serve(s));
                    h.setDaemon(true);
                    h.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    private void serve(Socket s) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            while (true) {
                int len = in.readInt();
                byte[] rest = new byte[len];
                in.readFully(rest);
                received.incrementAndGet();
                rest[4] = 64;
                out.writeInt(len);
                out.write(rest);
                out.flush();
            }
        } catch (IOException ended) {
            // the proxy cut or the test closed
        }
    }

    @AfterEach
    void close() throws IOException {
        echo.close();
    }

    private static void send(Socket s, int requestId, int op) throws IOException {
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeInt(5);
        out.writeInt(requestId);
        out.writeByte(op);
        out.flush();
    }

    /** The request id of the next answer, or -1 when the connection was cut. */
    private static int answer(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        try {
            int len = in.readInt();
            int id = in.readInt();
            in.readFully(new byte[len - 4]);
            return id;
        } catch (EOFException | java.net.SocketException cut) {
            return -1;
        }
    }

    @Test
    void cutAfterAnswer_nth_answerArrivesThenConnectionCut() throws IOException {
        try (FaultProxy proxy = new FaultProxy(echo.getLocalPort());
                Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            proxy.inject(Fault.cutAfterAnswer(FINISH).nth(2));
            send(s, 1, FINISH);
            assertThat(answer(s)).isEqualTo(1);
            send(s, 2, LOAD);
            assertThat(answer(s)).as("other ops do not count").isEqualTo(2);
            send(s, 3, FINISH);
            assertThat(answer(s)).isEqualTo(3);
            assertThat(answer(s)).as("cut after the second FINISH answer").isEqualTo(-1);
            assertThat(proxy.faults()).isEqualTo(1);
        }
    }

    @Test
    void cutBefore_requestNeverReachesServer() throws IOException {
        try (FaultProxy proxy = new FaultProxy(echo.getLocalPort());
                Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            proxy.inject(Fault.cutBefore(FINISH));
            send(s, 1, LOAD);
            assertThat(answer(s)).isEqualTo(1);
            send(s, 2, FINISH);
            assertThat(answer(s)).isEqualTo(-1);
            assertThat(received).hasValue(1);
        }
    }

    @Test
    void cutBeforeAnswer_serverGotItClientNot() throws IOException {
        try (FaultProxy proxy = new FaultProxy(echo.getLocalPort());
                Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            proxy.inject(Fault.cutBeforeAnswer(FINISH));
            send(s, 1, FINISH);
            assertThat(answer(s)).isEqualTo(-1);
            assertThat(received).hasValue(1);
        }
    }

    @Test
    void drop_everySecond_connectionStaysOpen() throws IOException {
        try (FaultProxy proxy = new FaultProxy(echo.getLocalPort());
                Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            proxy.inject(Fault.drop(FINISH).every(2));
            send(s, 1, FINISH);
            send(s, 2, FINISH); // dropped
            send(s, 3, FINISH);
            assertThat(answer(s)).isEqualTo(1);
            assertThat(answer(s)).isEqualTo(3);
            assertThat(proxy.faults()).isEqualTo(1);
        }
    }

    @Test
    void stopReading_framesWaitUntilResumed() throws Exception {
        try (FaultProxy proxy = new FaultProxy(echo.getLocalPort());
                Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            send(s, 1, LOAD);
            assertThat(answer(s)).isEqualTo(1);
            proxy.stopReading(FaultProxy.Side.SERVER);
            send(s, 2, LOAD);
            proxy.resumeReading(FaultProxy.Side.SERVER);
            assertThat(answer(s)).isEqualTo(2);
        }
    }
}
