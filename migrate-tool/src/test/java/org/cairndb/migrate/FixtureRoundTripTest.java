package org.cairndb.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.cairndb.migrate.zodb.UndoRules;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.TransactionRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each ZODB fixture into every storage and back out as a Data.fs. Storages that keep history
 * (PostgreSQL history-preserving, cairn:// serving it) give back the very file, byte for
 * byte; the others (mem:, temp:, PostgreSQL history-free) keep only the current state, which
 * must be the fixture's, written so that Python ZODB offers no undo that deletes an object.
 */
class FixtureRoundTripTest {
    static final List<String> FIXTURES =
            List.of("small.fs", "small_packed.fs", "edge.fs", "edge_midpack.fs", "edge_packed.fs");

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (StorageKind k : StorageKind.available()) {
            for (String f : FIXTURES) out.add(Arguments.of(k, f));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1} through {0}")
    @MethodSource("cases")
    void fixture_throughStorage_comesBackAsTheSameFile(StorageKind kind, String fixture) throws Exception {
        Path fs = Manifest.FIXTURES.resolve(fixture);
        String manifest = Manifest.read(Manifest.FIXTURES.resolve(fixture + ".manifest"));
        try (Storage s = kind.open()) {
            TransferResult in = Importer.importFile(
                    fs,
                    FileFormat.ZODB_FILESTORAGE,
                    s,
                    TransferOptions.defaults().withBatchRecords(64));
            assertThat(in.records())
                    .isEqualTo(Long.parseLong(manifest.replaceAll("(?s).*records=(\\d+) file_sha256.*", "$1")));
            Path out = dir.resolve("out.fs");
            Exporter.export(s, out, FileFormat.ZODB_FILESTORAGE, TransferOptions.defaults());
            ListStorage original = new ListStorage(fixture);
            Importer.importFile(fs, FileFormat.ZODB_FILESTORAGE, original, TransferOptions.defaults());
            if (StorageKind.keepsHistory(s)) {
                assertThat(Manifest.ofFile(out)).isEqualTo(manifest);
                assertThat(Files.mismatch(fs, out)).as("first differing byte").isEqualTo(-1L);
                assertThat(Verifier.compareAll(original, s, Progress.NONE, new StopSignal())
                                .equal())
                        .isTrue();
            } else {
                assertCurrentStateExport(original, s, out);
            }
        }
    }

    /** The reachable state is the original's, and the file passes FileStorage's undo rules. */
    static void assertCurrentStateExport(ListStorage original, Storage s, Path out) {
        ListStorage back = new ListStorage("back");
        Importer.importFile(out, FileFormat.ZODB_FILESTORAGE, back, TransferOptions.defaults());
        VerifyResult v = Verifier.compareCurrent(original, back, Progress.NONE, new StopSignal());
        assertThat(v.equal()).as(v.toString()).isTrue();
        assertThat(Verifier.compareCurrent(original, s, Progress.NONE, new StopSignal())
                        .equal())
                .isTrue();
        assertThat(s.objectCount()).isEqualTo(v.records());
        Map<Long, Long> firstTid = new HashMap<>();
        Set<Long> packed = new HashSet<>();
        for (TransactionRecord t : original.txns) {
            if (t.packed()) packed.add(t.tid());
            for (Revision r : t.revisions()) firstTid.putIfAbsent(r.oid(), t.tid());
        }
        assertThat(UndoRules.violations(out, firstTid, packed)).isEmpty();
        assertThat(back.txns).isNotEmpty().allMatch(TransactionRecord::packed);
    }

    /**
     * PostgreSQL history-preserving → cairn:// (serving another) → PostgreSQL history-preserving
     * with cairn copy, each exported: the fixture's bytes every time.
     */
    @ParameterizedTest
    @ValueSource(strings = {"small.fs", "small_packed.fs", "edge.fs", "edge_midpack.fs", "edge_packed.fs"})
    void fixture_copiedBetweenPostgresAndCairnServer_exportsTheSameFile(String fixture) throws Exception {
        Assumptions.assumeTrue(
                StorageKind.available().containsAll(List.of(StorageKind.PG_PRESERVING, StorageKind.CAIRN)));
        Path fs = Manifest.FIXTURES.resolve(fixture);
        try (Storage pg = StorageKind.PG_PRESERVING.open();
                Storage remote = StorageKind.CAIRN.open();
                Storage pg2 = StorageKind.PG_PRESERVING.open()) {
            Importer.importFile(fs, FileFormat.ZODB_FILESTORAGE, pg, TransferOptions.defaults());
            Copier.copy(pg, remote, TransferOptions.defaults().withBatchRecords(100));
            Copier.copy(remote, pg2, TransferOptions.defaults().withBatchRecords(100));
            for (Storage s : List.of(remote, pg2)) {
                Path out = dir.resolve(s == remote ? "remote.fs" : "pg2.fs");
                Exporter.export(s, out, FileFormat.ZODB_FILESTORAGE, TransferOptions.defaults());
                assertThat(Files.mismatch(fs, out))
                        .as("first byte of %s differing from %s", s.name(), fixture)
                        .isEqualTo(-1L);
            }
        }
    }

    /** A current-state storage copied into a history-keeping one keeps its transactions packed, so its export is as safe. */
    @ParameterizedTest
    @ValueSource(strings = {"edge.fs", "small_packed.fs"})
    void currentStateCopiedIntoPostgres_exportsPackedTransactions(String fixture) {
        Assumptions.assumeTrue(StorageKind.available().contains(StorageKind.PG_PRESERVING));
        Path fs = Manifest.FIXTURES.resolve(fixture);
        try (Storage mem = StorageKind.MEM.open();
                Storage pg = StorageKind.PG_PRESERVING.open()) {
            Importer.importFile(fs, FileFormat.ZODB_FILESTORAGE, mem, TransferOptions.defaults());
            Copier.copy(mem, pg, TransferOptions.defaults());
            Path out = dir.resolve("out.fs");
            Exporter.export(pg, out, FileFormat.ZODB_FILESTORAGE, TransferOptions.defaults());
            ListStorage original = new ListStorage(fixture);
            Importer.importFile(fs, FileFormat.ZODB_FILESTORAGE, original, TransferOptions.defaults());
            assertCurrentStateExport(original, mem, out);
        }
    }
}
