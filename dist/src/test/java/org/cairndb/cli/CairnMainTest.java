package org.cairndb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's own handling of errors (issue 13, items 7-9), through {@code CairnMain} in a
 * process of its own, as bin/cairn runs it: one line, the right exit code, no secret, the
 * stack trace only with --verbose.
 */
class CairnMainTest {
    @TempDir
    Path dir;

    record Run(int exit, String out) {
        Run oneLine(int code) {
            assertThat(exit).as(out).isEqualTo(code);
            assertThat(out).as(out).doesNotContain("\tat ").doesNotContain("Caused by");
            assertThat(out.lines().filter(l -> l.contains("error")).count())
                    .as(out)
                    .isEqualTo(1);
            return this;
        }
    }

    static Run cairn(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String f : System.getProperty("cairn.jvm.flags", "").trim().split("\\s+")) if (!f.isEmpty()) cmd.add(f);
        cmd.addAll(List.of(
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                CairnMain.class.getName()));
        cmd.addAll(Arrays.asList(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            return new Run(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void tasks_missingQueue_oneLineNamingTheQueuesThere() {
        String uri = "mem:" + dir.resolve("no-queues.cairn");
        org.cairndb.client.Database.open(uri).close(); // a database without any queue
        Run r = cairn("tasks", "list", uri, "--queue", "amazon").oneLine(1);
        assertThat(r.out()).contains("no queue 'amazon' in").contains("queues there: none");
    }

    @Test
    void serve_portOutOfRange_saysSo() {
        Run r = cairn("serve", "--port", "99999", "--storage", "main=mem:").oneLine(1);
        assertThat(r.out()).contains("port 99999 is out of range").doesNotContain("another server");
    }

    @Test
    void serve_missingSecretFile_namesItOnce() {
        Path missing = dir.resolve("no-secret");
        Run r = cairn("serve", "--port", "0", "--secret-file", missing.toString(), "--storage", "main=mem:")
                .oneLine(1);
        assertThat(r.out()).contains("no such file: " + missing);
    }

    @Test
    void serve_portInUse_isOneLine_andVerboseShowsTheTrace() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            String port = String.valueOf(taken.getLocalPort());
            Run r = cairn("serve", "--port", port, "--storage", "main=mem:").oneLine(1);
            assertThat(r.out()).contains("cannot listen on").contains(port);
            Run verbose = cairn("serve", "--port", port, "--storage", "main=mem:", "--verbose");
            assertThat(verbose.exit()).isEqualTo(1);
            assertThat(verbose.out()).contains("\tat ");
        }
    }

    @Test
    void serve_saysItsStartLineOnce() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String f : System.getProperty("cairn.jvm.flags", "").trim().split("\\s+")) if (!f.isEmpty()) cmd.add(f);
        cmd.addAll(List.of(
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                CairnMain.class.getName(),
                "serve",
                "--port",
                "0",
                "--storage",
                "main=temp:"));
        Process serve = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (java.io.BufferedReader r = new java.io.BufferedReader(
                new java.io.InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
            // the start line goes to stdout after start() returned: anything the server logged while starting is
            // already out
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("cairn server listening")) break;
            }
        } finally {
            serve.destroyForcibly();
            serve.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(lines).as(String.join("\n", lines)).last().asString().startsWith("cairn server listening");
        assertThat(lines.stream().filter(l -> l.contains("listening on")).count())
                .as(String.join("\n", lines))
                .isEqualTo(1);
    }

    @Test
    void reopenAfterKill9_saysInOneLineWhatWasRecovered_chronicleOnlyWithVerbose() throws Exception {
        Path file = dir.resolve("killed.cairn");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String f : System.getProperty("cairn.jvm.flags", "").trim().split("\\s+")) if (!f.isEmpty()) cmd.add(f);
        cmd.addAll(List.of(
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                CairnMain.class.getName(),
                "serve",
                "--port",
                "0",
                "--storage",
                "main=mem:" + file));
        Process serve = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (java.io.BufferedReader r = new java.io.BufferedReader(
                new java.io.InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null && !line.startsWith("cairn server listening")) {
                // start-up lines
            }
            assertThat(line).as("the server started").isNotNull();
        }
        serve.destroyForcibly(); // kill -9: the map is left open
        assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();

        Run quiet = cairn("info", "mem:" + file);
        assertThat(quiet.exit()).as(quiet.out()).isZero();
        assertThat(quiet.out())
                .contains("was not closed by the process that last used it")
                .contains("recovered:")
                .doesNotContain("risk of losing")
                .doesNotContain("ERROR")
                .doesNotContain("WARN ");
        assertThat(quiet.out().lines().filter(l -> l.contains("recovered")).count())
                .isEqualTo(1);

        serve = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (java.io.BufferedReader r = new java.io.BufferedReader(
                new java.io.InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null && !line.startsWith("cairn server listening")) {
                // start-up lines
            }
        }
        serve.destroyForcibly();
        assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Run verbose = cairn("info", "mem:" + file, "--verbose");
        assertThat(verbose.exit()).as(verbose.out()).isZero();
        assertThat(verbose.out())
                .contains("Recovery operation")
                .contains("was not closed by the process that last used it");
    }

    @Test
    void demo_badUri_isOneLineBadArgument() {
        Run r = cairn("demo", "--uri", "nosuch:x").oneLine(2);
        assertThat(r.out()).contains("unknown scheme 'nosuch'");
    }

    @Test
    void secretsInUris_neverPrinted_byServeDemoOrMigrateCommands() {
        StringBuilder all = new StringBuilder();
        all.append(cairn("serve", "--port", "0", "--storage", "main=postgres://u:PGSECRET77@127.0.0.1:1/db")
                .out());
        all.append(cairn("demo", "--uri", "cairn://127.0.0.1:1/main?secret=DEMOSECRET77")
                .out());
        all.append(cairn("info", "cairn://127.0.0.1:1/main?secret=INFOSECRET77&tls-password=TLSSECRET77")
                .out());
        all.append(cairn("status", "127.0.0.1:1", "--secret", "STATUSSECRET77").out());
        assertThat(all.toString())
                .contains("***")
                .doesNotContain("PGSECRET77")
                .doesNotContain("DEMOSECRET77")
                .doesNotContain("INFOSECRET77")
                .doesNotContain("TLSSECRET77")
                .doesNotContain("STATUSSECRET77");
    }
}
