package org.cairndb.remote;

import java.time.Duration;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;

/**
 * The other process of the fault tests (started with this JVM's class path, killed with
 * SIGKILL by the test):
 * <pre>
 *   commit-and-hang PORT   votes a transaction (so it holds the commit lock), prints VOTED, hangs
 *   server PORT URI        serves URI as 'main' on PORT, prints READY, runs until killed
 * </pre>
 */
public final class FaultChild {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "commit-and-hang" -> {
                RemoteStorage s = Remote.connect(Integer.parseInt(args[1]), "");
                long oid = s.newOids(1)[0];
                StorageTransaction t = s.begin(TransactionMetadata.of("child", "never finished"));
                t.store(oid, Tid.ZERO, Remote.value(666));
                t.vote();
                System.out.println("VOTED " + oid);
                System.out.flush();
                System.in.read(); // hang until killed
            }
            case "server" -> {
                CairnServer.start(new ServerConfig()
                        .port(Integer.parseInt(args[1]))
                        .storage("main", args[2])
                        .idleTimeout(Duration.ZERO));
                System.out.println("READY");
                System.out.flush();
                System.in.read();
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    /** Starts this class in a new JVM. */
    public static Process start(String... args) throws java.io.IOException {
        java.util.List<String> cmd = new java.util.ArrayList<>();
        cmd.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java")
                .toString());
        String flags = System.getProperty("cairn.jvm.flags", "");
        for (String f : flags.trim().split("\\s+")) if (!f.isBlank()) cmd.add(f);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(FaultChild.class.getName());
        cmd.addAll(java.util.List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** Reads the child's output until a line starts with {@code prefix}; returns that line (fails if the child ends first). */
    public static String awaitLine(Process p, String prefix) throws java.io.IOException {
        var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith(prefix)) {
                Thread drain = new Thread(() -> {
                    try {
                        while (in.readLine() != null) {
                            // keep the pipe from filling
                        }
                    } catch (java.io.IOException ignored) {
                        // child gone
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return line;
            }
            seen.append(line).append('\n');
        }
        throw new IllegalStateException("child ended before printing " + prefix + ":\n" + seen);
    }
}
