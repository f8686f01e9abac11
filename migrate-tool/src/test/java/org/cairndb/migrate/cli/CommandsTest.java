package org.cairndb.migrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.cairndb.migrate.Manifest;
import org.cairndb.migrate.StorageKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The commands as an admin types them, in-process, against PostgreSQL (the durable storage every process can reach). */
class CommandsTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    static synchronized Run cairn(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = MigrateCli.commandLine().execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"copy", "export", "import", "verify", "pack", "info"})
    void help_everyCommand_printsUsage(String command) {
        Run r = cairn(command, "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage: cairn " + command);
    }

    @Test
    void info_ofANewMemFile_reportsTheDiskItTakes_notItsReservation() throws Exception {
        Path file = dir.resolve("one.cairn");
        try (org.cairndb.storage.Storage s = org.cairndb.storage.uri.Storages.open("mem:" + file)) {
            org.cairndb.storage.conformance.Kit.commit(
                    s, 0, org.cairndb.storage.Tid.ZERO, org.cairndb.storage.conformance.Records.object("root"));
        }
        Run info = cairn("info", "mem:" + file);
        assertThat(info.exit()).as(info.err()).isZero();
        // A default file reserves over a GB (its length); with one object it takes some KiB of disk.
        assertThat(info.out())
                .containsPattern("size +[0-9.]+ KiB \\([0-9,]+ bytes in use")
                .contains("objects       1");
    }

    @Test
    void importInfoExportVerifyCopyPack_fixture_workEndToEnd() throws Exception {
        String a = StorageKind.PG_PRESERVING.freshUri();
        String b = StorageKind.PG_PRESERVING.freshUri();
        Path fs = Manifest.FIXTURES.resolve("small.fs");

        Run imp = cairn("import", "--in", fs.toString(), "--to", a);
        assertThat(imp.exit()).as(imp.err()).isZero();
        assertThat(imp.out()).contains("import: done: 51 transactions, 324 records");

        Run info = cairn("info", a);
        assertThat(info.out())
                .contains("objects       230")
                .contains("transactions  51")
                .contains("records       324")
                .contains("last tid      03f58e0042222222  2024-01-01T00:00:")
                .contains("history")
                .contains("undo")
                .contains("durable");
        assertThat(info.out()).containsPattern("size +[0-9.]+ [KM]iB");

        Path out = dir.resolve("Data.fs");
        Run exp = cairn("export", "--from", a, "--out", out.toString(), "--format", "zodb-filestorage", "-q");
        assertThat(exp.exit()).as(exp.err()).isZero();
        assertThat(Files.mismatch(fs, out)).isEqualTo(-1);

        Run again = cairn("export", "--from", a, "--out", out.toString(), "--format", "zodb-filestorage", "-q");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("already exists");

        Run copy = cairn("copy", "--from", a, "--to", b);
        assertThat(copy.exit()).as(copy.err()).isZero();
        Run verify = cairn("verify", a, b);
        assertThat(verify.exit()).isZero();
        assertThat(verify.out()).containsPattern("equal: 51 transactions, 324 records, sha256 [0-9a-f]{64}");
        Run current = cairn("verify", a, b, "--current");
        assertThat(current.out()).containsPattern("equal: 230 objects, sha256 [0-9a-f]{64}");

        Run copyAgain = cairn("copy", "--from", a, "--to", b);
        assertThat(copyAgain.exit()).isEqualTo(1);
        assertThat(copyAgain.err()).contains("is not empty").contains("--incremental");
        assertThat(cairn("copy", "--from", a, "--to", b, "--incremental").out()).contains("done: 0 transactions");

        Run pack = cairn("pack", b, "--before", "2024-01-02");
        assertThat(pack.exit()).as(pack.err()).isZero();
        assertThat(pack.out()).contains("pack: done");
        Run differs = cairn("verify", a, b);
        assertThat(differs.exit()).isEqualTo(1);
        assertThat(differs.out()).contains("different: ");
    }

    @Test
    void import_corruptFileStorage_reportsOffsetAndKeepsWholeTransactions() throws Exception {
        byte[] all = Files.readAllBytes(Manifest.FIXTURES.resolve("small.fs"));
        Path bad = dir.resolve("bad.fs");
        Files.write(bad, Arrays.copyOf(all, 50_000));
        String a = StorageKind.PG_PRESERVING.freshUri();
        Run r = cairn("import", "--in", bad.toString(), "--to", a, "-q");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
                .contains("cairn import: error: FileStorage")
                .contains("at byte offset")
                .contains("expected");
        Run info = cairn("info", a);
        assertThat(info.out()).doesNotContain("transactions  0");
        assertThat(cairn("import", "--in", bad.toString(), "--to", a, "-q", "--incremental")
                        .err())
                .contains("at byte offset");
    }

    @Test
    void errors_badUriUnknownFormatMissingFile_sayWhatToDo() throws Exception {
        Run uri = cairn("info", "nosuch:thing");
        assertThat(uri.exit()).isEqualTo(2); // a bad URI is a bad argument
        assertThat(uri.err()).contains("unknown scheme 'nosuch'").contains("postgres");
        Run fmt = cairn("export", "--from", "temp:", "--out", dir.resolve("x").toString(), "--format", "xml");
        assertThat(fmt.exit()).isEqualTo(2);
        assertThat(fmt.err()).contains("unknown format 'xml'").contains("zodb-filestorage");
        Path junk = dir.resolve("junk.bin");
        Files.writeString(junk, "hello world");
        Run detect = cairn("import", "--in", junk.toString(), "--to", "temp:");
        assertThat(detect.err()).contains("cannot tell the format").contains("--format");
        Run both = cairn("pack", "temp:", "--days", "3", "--before", "2024-01-01");
        assertThat(both.exit()).isEqualTo(2);
        Run date = cairn("pack", "temp:", "--before", "yesterday");
        assertThat(date.err()).contains("--before 'yesterday' is not a date");
    }
}
