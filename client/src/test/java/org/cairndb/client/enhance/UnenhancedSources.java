package org.cairndb.client.enhance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Persistent classes compiled while a test runs, so no build step has enhanced them: the agent
 * test's plain class and main, and a hand-written class for the interoperation test.
 */
final class UnenhancedSources {
    private UnenhancedSources() {}

    /** A plain class: no activate() or changing(); correct only once enhanced. */
    static final String PLAIN_NOTE = """
            package agentdemo;
            public class PlainNote extends org.cairndb.client.Persistent implements org.cairndb.client.enhance.Noted {
                String text;
                Object ref;
                int edits;
                public PlainNote(String text) { this.text = text; }
                public String text() { return text + "#" + edits; }
                public void text(String t) { text = t; edits++; }
                public Object ref() { return ref; }
                public void ref(Object o) { ref = o; }
            }
            """;

    /** The accessor pattern of before enhancement, written by hand. */
    static final String HAND_NOTE = """
            package agentdemo;
            public class HandNote extends org.cairndb.client.Persistent implements org.cairndb.client.enhance.Noted {
                private String text;
                private Object ref;
                public HandNote(String text) { this.text = text; }
                public String text() { activate(); return text; }
                public void text(String t) { changing(); text = t; }
                public Object ref() { activate(); return ref; }
                public void ref(Object o) { changing(); ref = o; }
            }
            """;

    /**
     * Stores a PlainNote, writes it as a ghost (no read first), and reads it back through another
     * connection; prints what it read and whether the class is marked enhanced.
     */
    static final String AGENT_MAIN = """
            package agentdemo;
            import java.util.concurrent.CompletableFuture;
            import org.cairndb.client.*;
            public class AgentMain {
                public static void main(String[] args) {
                    try (Database db = Database.open("temp:"); Connection c = db.open()) {
                        TransactionManager tm = db.transactionManager();
                        PlainNote n = new PlainNote("first");
                        c.root().put("n", n);
                        tm.commit();
                        c.cacheMinimize();
                        n.text("second");
                        tm.commit();
                        String seen = CompletableFuture.supplyAsync(() -> {
                            try (Connection other = db.open()) {
                                return ((PlainNote) other.root().get("n")).text();
                            }
                        }).join();
                        System.out.println("RESULT " + seen + " enhanced=" + PlainNote.class.isAnnotationPresent(Enhanced.class));
                    }
                }
            }
            """;

    /** Compiles the sources (package agentdemo) against the test class path into a new directory. */
    static Path compile(Path dir, Map<String, String> sources) {
        try {
            Path src = Files.createDirectories(dir.resolve("src/agentdemo"));
            Path out = Files.createDirectories(dir.resolve("classes"));
            List<String> files = new java.util.ArrayList<>();
            for (Map.Entry<String, String> e : sources.entrySet()) {
                Path f = src.resolve(e.getKey() + ".java");
                Files.writeString(f, e.getValue());
                files.add(f.toString());
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            List<String> args = new java.util.ArrayList<>(List.of(
                    "--release", "17", "-classpath", System.getProperty("java.class.path"), "-d", out.toString()));
            args.addAll(files);
            int rc = javac.run(null, null, null, args.toArray(new String[0]));
            assertThat(rc).as("javac exit code").isZero();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
