package org.cairndb.bench.fragment;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.MemcachedClient;

/**
 * A memcached the bench starts on a loopback port (the Debian package's binary), and a
 * spymemcached client of it. Absent when no {@code memcached} binary is on the PATH.
 */
final class Memcached implements AutoCloseable {
    final Process process;
    final int port;
    final MemcachedClient client;

    private Memcached(Process process, int port, MemcachedClient client) {
        this.process = process;
        this.port = port;
        this.client = client;
    }

    /** The memcached binary on the PATH, or null. */
    static File binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "memcached");
            if (f.canExecute()) return f;
        }
        return null;
    }

    static Memcached start(File binary, int megabytes) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(
                binary.getPath(),
                "-l",
                "127.0.0.1",
                "-p",
                String.valueOf(port),
                "-U",
                "0",
                "-m",
                String.valueOf(megabytes),
                "-t",
                "4"));
        if ("root".equals(System.getProperty("user.name")))
            cmd.addAll(List.of("-u", "root")); // memcached refuses root otherwise
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        MemcachedClient c = new MemcachedClient(
                new ConnectionFactoryBuilder()
                        .setProtocol(ConnectionFactoryBuilder.Protocol.BINARY)
                        .setOpTimeout(5000)
                        .build(),
                List.of(new InetSocketAddress("127.0.0.1", port)));
        try {
            // ready when a first write is acknowledged (the client connects, and reconnects, by itself); 30 s is the
            // deadline
            c.set("cairn-bench-probe", 0, "x").get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            c.shutdown();
            p.destroy();
            throw new IOException("memcached did not answer on port " + port + ": " + e, e);
        }
        return new Memcached(p, port, c);
    }

    @Override
    public void close() {
        client.shutdown();
        process.destroy();
    }
}
