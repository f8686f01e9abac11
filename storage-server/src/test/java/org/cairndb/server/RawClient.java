package org.cairndb.server;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import org.cairndb.protocol.ErrorCodec;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.Messages;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.protocol.Protocol;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.TransactionMetadata;

/** A blocking-socket protocol client for server tests: what another-language client would do. */
final class RawClient implements AutoCloseable {
    final Socket socket;
    final DataOutputStream out;
    final DataInputStream in;
    private int ids;

    RawClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(60_000); // a deadline: a test that gets no answer fails instead of hanging
        out = new DataOutputStream(socket.getOutputStream());
        in = new DataInputStream(socket.getInputStream());
    }

    static byte[] hello(String storage, String secret) {
        return new PayloadWriter()
                .i32(Protocol.MAGIC)
                .i32(Protocol.VERSION)
                .str(storage)
                .str(secret)
                .bool(false)
                .i64(0)
                .toBytes();
    }

    void send(Frame f) throws IOException {
        out.writeInt(5 + f.payload().length);
        out.writeInt(f.requestId());
        out.writeByte(f.op().code);
        out.write(f.payload());
        out.flush();
    }

    Frame receive() throws IOException {
        int len = in.readInt();
        int id = in.readInt();
        Op op = Op.of(in.readByte());
        byte[] p = new byte[len - 5];
        in.readFully(p);
        return new Frame(id, op, p);
    }

    /** Sends a request and returns its answer, skipping pushes; throws the decoded error. */
    Frame call(Op op, PayloadWriter w) throws IOException {
        int id = ++ids;
        send(w.frame(id, op));
        while (true) {
            Frame f = receive();
            if (f.op() == Op.INVALIDATE) continue;
            if (f.requestId() != id)
                throw new IllegalStateException("answer to " + f.requestId() + " while waiting for " + id + ": " + f);
            if (f.op() == Op.ERROR) throw ErrorCodec.decode(f, "raw client");
            return f;
        }
    }

    RawClient hello() throws IOException {
        call(
                Op.HELLO,
                new PayloadWriter()
                        .i32(Protocol.MAGIC)
                        .i32(Protocol.VERSION)
                        .str("main")
                        .str("")
                        .bool(false)
                        .i64(0));
        return this;
    }

    /** A full commit of a fresh object, then a load of it: proves the server answers and no commit lock is stuck. */
    long commitFresh(long value) throws IOException {
        long oid = call(Op.NEW_OIDS, new PayloadWriter().i32(1)).reader().longs()[0];
        PayloadWriter begin = new PayloadWriter().i64(1);
        Messages.writeMetadata(begin, TransactionMetadata.EMPTY);
        send(begin.frame(0, Op.BEGIN));
        byte[] data = new RecordHeader("t.V", new long[0])
                .encode(java.nio.ByteBuffer.allocate(8).putLong(value).array());
        send(new PayloadWriter().i64(1).i64(oid).i64(0).bytes(data).frame(0, Op.STORE));
        call(Op.VOTE, new PayloadWriter().i64(1));
        long tid = call(Op.FINISH, new PayloadWriter().i64(1)).reader().i64();
        var loaded =
                Messages.readLoaded(call(Op.LOAD, new PayloadWriter().i64(oid)).reader());
        if (loaded.tid() != tid) throw new IllegalStateException("loaded " + loaded + " after commit " + tid);
        return oid;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
