package org.cairndb.remote;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.cairndb.protocol.ErrorCodec;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.FrameCodec;
import org.cairndb.protocol.FrameReader;
import org.cairndb.protocol.Message;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.ProtocolException;

/**
 * One live connection of a {@link ClientConnection}, after a successful handshake: a blocking
 * plain or TLS socket that one thread reads (whoever holds the reading role) while any
 * thread writes (writes serialized by {@link #writeLock}, never waiting for an answer).
 * Both {@code java.net.Socket} and {@code SSLSocket} allow one reader and one writer at once.
 *
 * <p>Beside it, the doorbell: a second socket of the same server on which the background
 * thread blocks, and which the server writes to (RING) only when it pushed a frame that no
 * reader of the main socket is bound to read (see the server's {@code Doorbell}). The two live
 * and die together.
 */
final class Link {
    final int generation;
    private final Socket socket;
    private final FrameReader in;
    /** The doorbell socket (null until the handshake attached it); read by the background thread only. */
    private Socket bellSocket;

    private FrameReader bell;
    /** Frames with request id 0 (pushes) read from the main socket so far; written by the role holder only. */
    private volatile long pushesRead;

    private final OutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Set once, when the socket failed or the connection closed; guarded by the connection's lock (read without it too). */
    volatile boolean dead;
    /** Answers still to come whose callers gave up on them; written under the connection's lock. */
    volatile int abandoned;
    /** Completed when the link is closed (dropped or the storage closed). */
    final CompletableFuture<Void> gone = new CompletableFuture<>();
    /** The socket's current read timeout; only the role holder touches it. */
    private int soTimeout = -1;

    Link(Socket socket, int generation, int maxFrame) throws IOException {
        this.socket = socket;
        this.generation = generation;
        this.in = new FrameReader(socket.getInputStream(), maxFrame);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /** Writes a frame; {@code flush} sends it (and everything buffered before it) now. */
    void write(Frame f, boolean flush) throws IOException {
        writeLock.lock();
        try {
            FrameCodec.write(f, out);
            if (flush) out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    /** Reads the next frame, for at most {@code timeoutMillis} (0: no limit); only the role holder calls it. */
    Frame read(int timeoutMillis) throws IOException {
        if (timeoutMillis != soTimeout) {
            socket.setSoTimeout(timeoutMillis);
            soTimeout = timeoutMillis;
        }
        Frame f = in.read();
        if (f.requestId() == 0) pushesRead++; // only the role holder reads: no lost update
        return f;
    }

    long pushesRead() {
        return pushesRead;
    }

    /** Called once by the handshake, before the link is published. */
    void attachDoorbell(Socket s, FrameReader reader) {
        this.bellSocket = s;
        this.bell = reader;
    }

    /** Blocks until the server rings; returns the number of pushes it had written by then. Background thread only. */
    long awaitRing() throws IOException {
        Frame f = bell.read();
        if (f.op() == Op.RING) return ((Message.Ring) Message.decode(f)).pushes();
        if (f.op() == Op.ERROR) throw ErrorCodec.decode(f, "the server (on the doorbell connection)");
        throw new ProtocolException(
                "the server sent a " + f.op() + " frame on the doorbell connection, which carries RING frames only");
    }

    void close() {
        Dialer.closeQuietly(socket);
        Dialer.closeQuietly(bellSocket);
        gone.complete(null);
    }
}
