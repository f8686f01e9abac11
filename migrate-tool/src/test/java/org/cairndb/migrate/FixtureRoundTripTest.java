package org.cairndb.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cairndb.storage.Storage;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each ZODB fixture into every storage and back out as a Data.fs. Storages that keep history
 * give back the very file (its manifest, which includes the file's sha256); the others
 * (temp:, PostgreSQL history-free) keep only the current state, which must be the fixture's.
 */
class FixtureRoundTripTest {
    @TempDir Path dir;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (StorageKind k : StorageKind.available()) {
            for (String f : List.of("small.fs", "small_packed.fs")) out.add(Arguments.of(k, f));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1} through {0}")
    @MethodSource("cases")
    void fixture_throughStorage_comesBackAsTheSameFile(StorageKind kind, String fixture) {
        Path fs = Manifest.FIXTURES.resolve(fixture);
        String manifest = Manifest.read(Manifest.FIXTURES.resolve(fixture + ".manifest"));
        try (Storage s = kind.open()) {
            TransferResult in = Importer.importFile(fs, FileFormat.ZODB_FILESTORAGE, s, TransferOptions.defaults().withBatchRecords(64));
            assertThat(in.records()).isEqualTo(Long.parseLong(manifest.replaceAll("(?s).*records=(\\d+) file_sha256.*", "$1")));
            Path out = dir.resolve("out.fs");
            Exporter.export(s, out, FileFormat.ZODB_FILESTORAGE, TransferOptions.defaults());
            ListStorage original = new ListStorage(fixture);
            Importer.importFile(fs, FileFormat.ZODB_FILESTORAGE, original, TransferOptions.defaults());
            if (StorageKind.keepsHistory(s)) {
                assertThat(Manifest.ofFile(out)).isEqualTo(manifest);
                assertThat(Verifier.compareAll(original, s, Progress.NONE, new StopSignal()).equal()).isTrue();
            } else {
                ListStorage back = new ListStorage("back");
                Importer.importFile(out, FileFormat.ZODB_FILESTORAGE, back, TransferOptions.defaults());
                VerifyResult v = Verifier.compareCurrent(original, back, Progress.NONE, new StopSignal());
                assertThat(v.equal()).as(v.toString()).isTrue();
                assertThat(Verifier.compareCurrent(original, s, Progress.NONE, new StopSignal()).equal()).isTrue();
                assertThat(s.objectCount()).isEqualTo(v.records());
            }
        }
    }
}
