package org.cairndb.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cairndb.storage.Storage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every ordered pair of storages (A, B), there and back: A holds small.fs (loaded once per
 * kind); copy A → B and verify; then export B in Cairn's format, import it into a fresh
 * storage of A's kind, and verify that against both. Where every storage on the way keeps
 * history, every transaction and record must be equal; otherwise (mem:, temp:, history-free
 * PostgreSQL keep the current state only) the current state must be.
 */
class StoragePairsTest {
    static final Map<StorageKind, Storage> sources = new EnumMap<>(StorageKind.class);

    @TempDir
    Path dir;

    @BeforeAll
    static void loadSources() {
        for (StorageKind k : StorageKind.available()) {
            Storage s = k.open();
            Importer.importFile(
                    Manifest.FIXTURES.resolve("small.fs"), FileFormat.ZODB_FILESTORAGE, s, TransferOptions.defaults());
            sources.put(k, s);
        }
    }

    @AfterAll
    static void closeSources() {
        sources.values().forEach(Storage::close);
        sources.clear();
    }

    static Stream<Arguments> pairs() {
        List<Arguments> out = new ArrayList<>();
        for (StorageKind a : StorageKind.available())
            for (StorageKind b : StorageKind.available()) out.add(Arguments.of(a, b));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} -> {1} -> {0}")
    @MethodSource("pairs")
    void copyThenExportImportBack_betweenStorages_verifiesEqual(StorageKind from, StorageKind to) {
        Storage a = sources.get(from);
        try (Storage b = to.open();
                Storage back = from.open()) {
            TransferResult copied = Copier.copy(a, b, TransferOptions.defaults().withBatchRecords(50));
            assertThat(copied.transactions()).isPositive();
            boolean full = StorageKind.keepsHistory(a) && StorageKind.keepsHistory(b);
            assertEqual(a, b, full);
            Path file = dir.resolve("b.cairnexp");
            Exporter.export(b, file, FileFormat.CAIRN, TransferOptions.defaults());
            Importer.importFile(file, FileFormat.CAIRN, back, TransferOptions.defaults());
            assertEqual(b, back, full);
            assertEqual(a, back, full);
        }
    }

    static void assertEqual(Storage x, Storage y, boolean full) {
        VerifyResult current = Verifier.compareCurrent(x, y, Progress.NONE, new StopSignal());
        assertThat(current.equal())
                .as("%s vs %s: %s", x.name(), y.name(), current)
                .isTrue();
        if (full) {
            VerifyResult v = Verifier.compareAll(x, y, Progress.NONE, new StopSignal());
            assertThat(v.equal()).as("%s vs %s: %s", x.name(), y.name(), v).isTrue();
        }
        assertThat(y.objectCount()).isEqualTo(x.objectCount());
    }
}
