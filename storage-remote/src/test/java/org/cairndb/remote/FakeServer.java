package org.cairndb.remote;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.cairndb.protocol.ErrorCodec;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.FrameCodec;
import org.cairndb.protocol.FrameReader;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.protocol.Protocol;

/**
 * A hand-written server for the cairn:// client's tests: shakes hands (HELLO, DOORBELL_OPEN,
 * the doorbell), then records every frame the client sends (and the ids of LOADs) for the
 * test to answer by hand, or not at all.
 */
final class FakeServer implements AutoCloseable {
    final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final Semaphore hellos = new Semaphore(0);
    final List<Conn> conns = new CopyOnWriteArrayList<>();
    final AtomicInteger tokens = new AtomicInteger();
    volatile boolean refuseNextDoorbell;

    final class Conn {
        final Socket main;
        final OutputStream out;
        volatile Socket bell;
        final java.util.concurrent.BlockingQueue<Integer> loads = new java.util.concurrent.LinkedBlockingQueue<>();
        /** Every frame the client sent after the handshake, for tests that answer by hand. */
        final java.util.concurrent.BlockingQueue<Frame> frames = new java.util.concurrent.LinkedBlockingQueue<>();

        Conn(Socket main) throws IOException {
            this.main = main;
            this.out = main.getOutputStream();
        }

        /** The next frame of this op the client sent (earlier frames of other ops are skipped); fails after 30 s. */
        Frame next(Op op) throws InterruptedException {
            while (true) {
                Frame f = frames.poll(30, java.util.concurrent.TimeUnit.SECONDS); // a deadline: the client must send it
                if (f == null) throw new AssertionError("no " + op + " frame from the client within 30 s");
                if (f.op() == op) return f;
            }
        }

        synchronized void write(Frame f) throws IOException {
            FrameCodec.write(f, out);
            out.flush();
        }
    }

    FakeServer() throws IOException {
        Thread t = new Thread(this::acceptLoop, "fake-server");
        t.setDaemon(true);
        t.start();
    }

    RemoteStorage connect(String params) {
        return RemoteStorage.open(
                "cairn://127.0.0.1:" + listener.getLocalPort() + "/main" + (params.isEmpty() ? "" : "?" + params));
    }

    private void acceptLoop() {
        try {
            while (true) {
                Socket m = listener.accept();
                Conn c = new Conn(m);
                FrameReader in = new FrameReader(m.getInputStream(), Protocol.DEFAULT_MAX_FRAME);
                try {
                    Frame hello = in.read();
                    c.write(new PayloadWriter()
                            .i32(Protocol.VERSION)
                            .str("fake")
                            .i32(0)
                            .i64(0)
                            .bool(false)
                            .longs(new long[0])
                            .bool(false)
                            .frame(hello.requestId(), Op.RESULT));
                    hellos.release();
                    Frame open = in.read();
                    c.write(new PayloadWriter()
                            .i64(tokens.incrementAndGet())
                            .i64(2)
                            .frame(open.requestId(), Op.RESULT));
                    Socket b = listener.accept();
                    c.bell = b;
                    Frame d = new FrameReader(b.getInputStream(), Protocol.DEFAULT_MAX_FRAME).read();
                    if (refuseNextDoorbell) {
                        refuseNextDoorbell = false;
                        FrameCodec.write(
                                ErrorCodec.encode(
                                        d.requestId(),
                                        ErrorCodec.RETRYABLE,
                                        "unknown doorbell token: the connection that"
                                                + " asked for it (DOORBELL_OPEN) has closed; reconnect and ask again"),
                                b.getOutputStream());
                        b.getOutputStream().flush();
                        b.close();
                        m.close();
                        continue;
                    }
                    conns.add(c); // before the answer that lets the client's open() return
                    FrameCodec.write(new PayloadWriter().frame(d.requestId(), Op.RESULT), b.getOutputStream());
                    b.getOutputStream().flush();
                } catch (IOException e) {
                    conns.remove(c);
                    m.close();
                    continue;
                }
                Thread r = new Thread(
                        () -> {
                            try {
                                while (true) {
                                    Frame f = in.read();
                                    if (f.op() == Op.LOAD) c.loads.add(f.requestId());
                                    c.frames.add(f);
                                }
                            } catch (IOException e) {
                                // gone
                            }
                        },
                        "fake-conn");
                r.setDaemon(true);
                r.start();
            }
        } catch (IOException e) {
            // closed
        }
    }

    /** The first connection's sockets closed, as a server going away would. */
    void dropClient() throws IOException {
        Conn c = conns.get(0);
        c.main.close();
        if (c.bell != null) c.bell.close();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Conn c : conns) {
            c.main.close();
            if (c.bell != null) c.bell.close();
        }
    }
}
