package org.cairndb.postgres.multiprocess;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.cairndb.postgres.testing.ChildJvm;

/** A {@link WriterProcess} as the test sees it: lines to read, a line to send, a kill -9. */
final class Child implements AutoCloseable {
    final Process process;
    private final BufferedReader out;
    final List<String> lines = new ArrayList<>();

    Child(String... args) {
        this.process = ChildJvm.startPiped(WriterProcess.class, args);
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The next line (blocking until the child writes it); null at its end. */
    String next() {
        try {
            String l = out.readLine();
            if (l != null) lines.add(l);
            return l;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads lines until one starts with {@code prefix}; fails if the child ends first. */
    String await(String prefix) {
        for (String l = next(); ; l = next()) {
            if (l == null) throw new AssertionError("child ended before printing " + prefix + "; it said: " + lines);
            if (l.startsWith("ERROR")) throw new AssertionError("child failed: " + l + " " + rest());
            if (l.startsWith(prefix)) return l;
        }
    }

    /** Everything it prints until it exits. */
    List<String> rest() {
        while (next() != null) {
            /* collect */
        }
        return lines;
    }

    void send(String line) {
        try {
            Writer w = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            w.write(line + "\n");
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: the process gets no chance to clean up. */
    void killDashNine() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    int exit() throws InterruptedException {
        rest();
        return process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) killDashNine();
    }
}
