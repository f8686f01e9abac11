package org.cairndb.client.remote;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cairndb.protocol.Op;

/**
 * A TCP proxy between a client and a server that cuts connections for real (both sockets
 * closed, so each side sees its peer vanish) at moments a test chooses: when a frame of a
 * given op comes from the client (it is then not forwarded), or on {@link #cutAll()}. New
 * connections can be held back ({@link #hold()}) until a restarted server is ready.
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket listen;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile int targetPort;
    private volatile Op cutAt;
    private volatile CompletableFuture<Void> cut = new CompletableFuture<>();
    private volatile CompletableFuture<Void> admit = CompletableFuture.completedFuture(null);
    private volatile boolean closed;

    CuttingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        listen = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "cutting-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return listen.getLocalPort();
    }

    /** The next client frame of this op is not forwarded: both sockets are closed instead. */
    void cutAtNext(Op op) {
        cut = new CompletableFuture<>();
        cutAt = op;
    }

    /** Completed when a cut happened (armed by {@link #cutAtNext} or {@link #cutAll}). */
    CompletableFuture<Void> cutDone() {
        return cut;
    }

    /** Closes every connection through the proxy now. */
    void cutAll() {
        for (Socket s : sockets) closeQuietly(s);
        sockets.clear();
        cut.complete(null);
    }

    /** New connections wait (accepted, not yet connected onward) until {@link #release}. */
    void hold() {
        admit = new CompletableFuture<>();
    }

    /** Lets held and new connections through, to the server at {@code port}. */
    void release(int port) {
        targetPort = port;
        admit.complete(null);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listen.accept();
                client.setTcpNoDelay(true);
                sockets.add(client);
                admit.thenRunAsync(() -> connect(client));
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    private void connect(Socket client) {
        try {
            Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            server.setTcpNoDelay(true);
            sockets.add(server);
            pump("proxy-to-server", () -> frames(client.getInputStream(), server.getOutputStream(), client, server));
            pump("proxy-to-client", () -> bytes(server.getInputStream(), client.getOutputStream()));
        } catch (IOException e) {
            closeQuietly(client); // no server there (yet): the client sees a drop and retries
        }
    }

    private interface Pump {
        void run() throws IOException;
    }

    private void pump(String name, Pump p) {
        Thread t = new Thread(() -> {
            try {
                p.run();
            } catch (IOException ignored) {
                // a cut or a close: the other pump ends too
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    /** Client to server, frame by frame, so a cut can fall exactly before one op. */
    private void frames(InputStream in, OutputStream out, Socket a, Socket b) throws IOException {
        DataInputStream din = new DataInputStream(in);
        DataOutputStream dout = new DataOutputStream(out);
        try {
            while (true) {
                int len = din.readInt();
                byte[] rest = new byte[len];
                din.readFully(rest);
                Op op = Op.of(rest[4]);
                if (op != null && op == cutAt) {
                    cutAt = null;
                    closeQuietly(a);
                    closeQuietly(b);
                    cut.complete(null);
                    return;
                }
                dout.writeInt(len);
                dout.write(rest);
                dout.flush();
            }
        } finally {
            closeQuietly(a);
            closeQuietly(b);
        }
    }

    private static void bytes(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            out.flush();
        }
        out.close();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listen.close();
        cutAll();
    }
}
