package org.cairndb.server.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.Callable;
import org.cairndb.protocol.ErrorCodec;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.protocol.Protocol;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn status host:port}: connected clients, per-op counts and latency percentiles,
 * commit queue and lock waits. Speaks the protocol over a plain blocking socket (two
 * requests), so the server module needs no client.
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Prints a Cairn server's clients, request latencies and commit queue.")
public final class StatusCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "host:port of the server")
    String address;
    @Option(names = "--secret", description = "The server's shared secret, if it has one")
    String secret;
    @Option(names = "--prometheus", description = "Print Prometheus text instead")
    boolean prometheus;

    @Override
    public Integer call() {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            System.err.println("cairn status: '" + address + "' is not host:port (e.g. localhost:8100)");
            return 2;
        }
        String host = address.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            System.err.println("cairn status: port '" + address.substring(colon + 1) + "' is not a number");
            return 2;
        }
        try {
            System.out.print(fetch(host, port, secret, prometheus));
            return 0;
        } catch (IOException | RuntimeException e) {
            System.err.println("cairn status: " + host + ":" + port + ": " + e.getMessage());
            return 1;
        }
    }

    /** The status text of the server at host:port. */
    public static String fetch(String host, int port, String secret, boolean prometheus) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 10_000);
            s.setSoTimeout(30_000); // a deadline: a server that does not answer fails the command
            s.setTcpNoDelay(true);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            write(out, new PayloadWriter().i32(Protocol.MAGIC).i32(Protocol.VERSION).str("").str(secret == null ? "" : secret)
                    .bool(true).i64(0).frame(1, Op.HELLO));
            read(in, host, port);
            write(out, new PayloadWriter().bool(prometheus).frame(2, Op.STATUS));
            return read(in, host, port).reader().str();
        }
    }

    private static void write(DataOutputStream out, Frame f) throws IOException {
        out.writeInt(5 + f.payload().length);
        out.writeInt(f.requestId());
        out.writeByte(f.op().code);
        out.write(f.payload());
        out.flush();
    }

    private static Frame read(InputStream raw, String host, int port) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        int len = in.readInt();
        if (len < 5 || len > Protocol.DEFAULT_MAX_FRAME) throw new IOException("bad frame length " + len + " from server");
        int id = in.readInt();
        Op op = Op.of(in.readByte());
        byte[] payload = new byte[len - 5];
        in.readFully(payload);
        Frame f = new Frame(id, op, payload);
        if (op == Op.ERROR) throw ErrorCodec.decode(f, "cairn://" + host + ":" + port);
        return f;
    }
}
