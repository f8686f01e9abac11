package org.cairndb.server;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadWriter;

/**
 * A client process for {@link StuckClientTest}: says HELLO, then loads one object over and
 * over, eight requests in flight, reading every answer. Prints "streaming" once it has read
 * its first batch. Stopped with SIGSTOP it stops reading, as a hung client does; it exits 3
 * when the server drops it.
 */
public final class PipeliningLoader {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long oid = Long.parseLong(args[1]);
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(16 << 10); // what a busy client's kernel buffer would hold, not megabytes
            s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            write(out, new Frame(1, Op.HELLO, RawClient.hello("main", "")));
            skip(in);
            for (long round = 0; ; round++) {
                for (int i = 0; i < 8; i++)
                    write(out, new PayloadWriter().i64(oid).frame(2 + i, Op.LOAD));
                for (int i = 0; i < 8; i++) {
                    while (skip(in) == 0) {
                        // an INVALIDATE (request id 0): not an answer
                    }
                }
                if (round == 0) {
                    System.out.println("streaming");
                    System.out.flush();
                }
            }
        } catch (IOException dropped) {
            System.exit(3);
        }
    }

    private static void write(DataOutputStream out, Frame f) throws IOException {
        out.write(ProtocolFuzzTest.encode(f));
        out.flush();
    }

    /** Reads one frame, returns its request id. */
    private static int skip(DataInputStream in) throws IOException {
        int len = in.readInt();
        int id = in.readInt();
        in.skipNBytes(len - 4);
        return id;
    }
}
