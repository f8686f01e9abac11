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
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"small.fs", "small_packed.fs", "edge.fs", "edge_midpack.fs", "edge_packed.fs"})
    void read_fixture_matchesManifest(String name) {
        Path fs = Manifest.FIXTURES.resolve(name);
        assertThat(Manifest.ofFile(fs)).isEqualTo(Manifest.read(Manifest.FIXTURES.resolve(name + ".manifest")));
    }

    @org.junit.jupiter.api.Test
    void read_packedWithUndoReachingBeforePackTime_readsWithZodbsWarning() {
        // edge_midpack.fs: ZODB's pack kept an older revision of oid 0x12 for a later undo and
        // wrote prev = 0 on it and on the current one; ZODB reads the file, logging a warning
        try (FileStorageReader r = FileStorageReader.open(Manifest.FIXTURES.resolve("edge_midpack.fs"))) {
            int n = 0;
            while (r.hasNext()) {
                r.next();
                n++;
            }
            assertThat(n).isEqualTo(338);
            assertThat(r.warnings()).hasSize(1);
            assertThat(r.warnings().get(0))
                    .contains("incorrect previous pointer")
                    .contains("3076222");
        }
        try (FileStorageReader r = FileStorageReader.open(Manifest.FIXTURES.resolve("edge.fs"))) {
            r.forEachRemaining(t -> {});
            assertThat(r.warnings()).isEmpty();
        }
    }

    @org.junit.jupiter.api.Test
    void write_metadataFieldsOfNearly64KiBEach_isWritten_butAFieldOver65535IsRefusedNamingIt() throws Exception {
        byte[] ext = new byte[65_535];
        String desc = "d".repeat(65_535);
        TransactionRecord big = new TransactionRecord(
                0x03ff000000000001L,
                false,
                new org.cairndb.storage.TransactionMetadata("u".repeat(65_535), desc, ext),
                java.util.List.of());
        Path out = dir.resolve("big.fs");
        try (FileStorageWriter w = FileStorageWriter.create(out, false)) {
            w.write(big);
        }
        try (FileStorageReader r = FileStorageReader.open(out)) {
            assertThat(r.next()).isEqualTo(big);
        }
        TransactionRecord tooLong = new TransactionRecord(
                0x03ff000000000002L,
                false,
                new org.cairndb.storage.TransactionMetadata("u", "\u00e9".repeat(32_768), new byte[0]),
                java.util.List.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FileStorageWriter.checkWritable(tooLong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("03ff000000000002")
                .hasMessageContaining("description")
                .hasMessageContaining("65536 bytes");
        FileStorageWriter.checkWritable(big);
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
    @ValueSource(strings = {"small.fs", "small_packed.fs", "edge.fs", "edge_midpack.fs", "edge_packed.fs"})
    void writeWhatWasRead_fixture_isByteIdentical(String name) throws Exception {
        Path fs = Manifest.FIXTURES.resolve(name);
        Path out = dir.resolve(name);
        try (FileStorageReader r = FileStorageReader.open(fs);
                FileStorageWriter w = FileStorageWriter.create(out, false)) {
            while (r.hasNext()) {
                TransactionRecord t = r.next();
                w.write(t);
            }
        }
        assertThat(Manifest.ofFile(out)).isEqualTo(Manifest.read(Manifest.FIXTURES.resolve(name + ".manifest")));
        assertThat(Files.mismatch(fs, out)).as("first differing byte").isEqualTo(-1L);
    }
}
