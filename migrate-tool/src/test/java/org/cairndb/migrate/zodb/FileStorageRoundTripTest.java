package org.cairndb.migrate.zodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cairndb.migrate.Manifest;
import org.cairndb.storage.TransactionRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileStorageRoundTripTest {
    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"small.fs", "small_packed.fs"})
    void read_fixture_matchesManifest(String name) {
        Path fs = Manifest.FIXTURES.resolve(name);
        assertThat(Manifest.ofFile(fs)).isEqualTo(Manifest.read(Manifest.FIXTURES.resolve(name + ".manifest")));
    }

    @org.junit.jupiter.api.Test
    void read_fs21Magic_readsTheSameTransactions() throws Exception {
        byte[] b = Files.readAllBytes(Manifest.FIXTURES.resolve("small.fs"));
        b[2] = '2';
        b[3] = '1';
        Path fs21 = dir.resolve("py2.fs");
        Files.write(fs21, b);
        try (FileStorageReader r = FileStorageReader.open(fs21)) {
            assertThat(r.magic()).isEqualTo("FS21");
        }
        String manifest = Manifest.read(Manifest.FIXTURES.resolve("small.fs.manifest"));
        assertThat(Manifest.ofFile(fs21)).startsWith(Manifest.bodyOf(manifest));
    }

    @ParameterizedTest
    @ValueSource(strings = {"small.fs", "small_packed.fs"})
    void writeWhatWasRead_fixture_isByteIdentical(String name) throws Exception {
        Path fs = Manifest.FIXTURES.resolve(name);
        Path out = dir.resolve(name);
        try (FileStorageReader r = FileStorageReader.open(fs); FileStorageWriter w = FileStorageWriter.create(out, false)) {
            while (r.hasNext()) {
                TransactionRecord t = r.next();
                w.write(t);
            }
        }
        assertThat(Manifest.ofFile(out)).isEqualTo(Manifest.read(Manifest.FIXTURES.resolve(name + ".manifest")));
        assertThat(Files.mismatch(fs, out)).as("first differing byte").isEqualTo(-1L);
    }
}
