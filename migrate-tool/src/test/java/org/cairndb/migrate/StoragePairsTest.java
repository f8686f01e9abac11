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
 * Every ordered pair of storages: load small.fs into A, copy A → B, verify; then export B in
 * Cairn's format, import it into a fresh A, verify again. Both keep history: every
 * transaction and record must be equal; otherwise the current state must be.
 */
class StoragePairsTest {
    @TempDir Path dir;

    static Stream<Arguments> pairs() {
        List<Arguments> out = new ArrayList<>();
        for (StorageKind a : StorageKind.available()) for (StorageKind b : StorageKind.available()) out.add(Arguments.of(a, b));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pairs")
    void copyThenExportImport_betweenStorages_verifiesEqual(StorageKind from, StorageKind to) {
        try (Storage a = from.open(); Storage b = to.open(); Storage a2 = from.open()) {
            Importer.importFile(Manifest.FIXTURES.resolve("small.fs"), FileFormat.ZODB_FILESTORAGE, a, TransferOptions.defaults());
            TransferResult copied = Copier.copy(a, b, TransferOptions.defaults().withBatchRecords(50));
            assertThat(copied.transactions()).isPositive();
            // full comparison only where every storage on the way kept history
            boolean full = StorageKind.keepsHistory(a) && StorageKind.keepsHistory(b);
            assertEqual(a, b, full);
            Path file = dir.resolve("b.cairnexp");
            Exporter.export(b, file, FileFormat.CAIRN, TransferOptions.defaults());
            Importer.importFile(file, FileFormat.CAIRN, a2, TransferOptions.defaults());
            assertEqual(b, a2, full);
            assertEqual(a, a2, full);
        }
    }

    static void assertEqual(Storage x, Storage y, boolean full) {
        VerifyResult v = full ? Verifier.compareAll(x, y, Progress.NONE, new StopSignal()) : Verifier.compareCurrent(x, y, Progress.NONE, new StopSignal());
        assertThat(v.equal()).as("%s vs %s: %s", x.name(), y.name(), v).isTrue();
        VerifyResult current = Verifier.compareCurrent(x, y, Progress.NONE, new StopSignal());
        assertThat(current.equal()).as(current.toString()).isTrue();
        assertThat(y.objectCount()).isEqualTo(x.objectCount());
    }
}
