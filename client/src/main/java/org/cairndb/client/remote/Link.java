package org.cairndb.client.remote;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.locks.ReentrantLock;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.FrameCodec;
import org.cairndb.protocol.FrameReader;

/**
 * One live socket of a {@link ClientConnection}, after a successful handshake: a blocking
 * plain or TLS socket that one thread reads (whoever holds the reading role) while any
 * thread writes (writes serialized by {@link #writeLock}, never waiting for an answer).
 * Both {@code java.net.Socket} and {@code SSLSocket} allow one reader and one writer at once.
 */
final class Link {
    final int generation;
    private final Socket socket;
    private final FrameReader in;
    private final OutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** The thread holding the reading role, or null; written under the connection's lock, read without it by the background thread. */
    volatile Thread reader;
    /** Set once, when the socket failed or the connection closed; guarded by the connection's lock (read without it too). */
    volatile boolean dead;
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
        return in.read();
    }

    void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a broken socket: nothing more to do
        }
    }
}
