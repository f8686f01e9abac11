package org.cairndb.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cairndb.migrate.zodb.FileStorageReader;
import org.cairndb.storage.CorruptDataException;
import org.cairndb.storage.TransactionRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImporterTest {
    @TempDir Path dir;

    static List<TransactionRecord> fixture(String name) {
        try (FileStorageReader r = FileStorageReader.open(Manifest.FIXTURES.resolve(name))) {
            List<TransactionRecord> out = new java.util.ArrayList<>();
            r.forEachRemaining(out::add);
            return out;
        }
    }

    @Test
    void importFileStorage_thenExportBoth_formatsRoundTrip() {
        ListStorage s = ListStorage.bulk("s");
        TransferResult r = Importer.importFile(Manifest.FIXTURES.resolve("small.fs"), FileFormat.ZODB_FILESTORAGE, s, TransferOptions.defaults().withBatchRecords(50));
        assertThat(r.transactions()).isEqualTo(51);
        assertThat(r.records()).isEqualTo(324);
        Path exp = dir.resolve("small.cairnexp");
        Exporter.export(s, exp, FileFormat.CAIRN, TransferOptions.defaults());
        ListStorage back = new ListStorage("back");
        Importer.importFile(exp, FileFormat.CAIRN, back, TransferOptions.defaults());
        Path fs = dir.resolve("Data.fs");
        Exporter.export(back, fs, FileFormat.ZODB_FILESTORAGE, TransferOptions.defaults());
        assertThat(Manifest.ofFile(fs)).isEqualTo(Manifest.read(Manifest.FIXTURES.resolve("small.fs.manifest")));
    }

    @Test
    void import_truncatedFileStorage_leavesOnlyWholeTransactions() throws Exception {
        byte[] all = Files.readAllBytes(Manifest.FIXTURES.resolve("small.fs"));
        List<TransactionRecord> expected = fixture("small.fs");
        int cut = all.length * 2 / 3;
        Path bad = dir.resolve("cut.fs");
        Files.write(bad, java.util.Arrays.copyOf(all, cut));
        ListStorage s = ListStorage.bulk("s");
        assertThatThrownBy(() -> Importer.importFile(bad, FileFormat.ZODB_FILESTORAGE, s, TransferOptions.defaults()))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("byte offset").hasMessageContaining("truncated");
        assertThat(s.txns).isNotEmpty().isEqualTo(expected.subList(0, s.txns.size()));
        // the first transaction not imported is the one the cut went through
        assertThat(s.txns.size()).isLessThan(expected.size());
    }

    @Test
    void import_nonEmptyDestination_needsIncrementalAndThenSkipsWhatIsThere() {
        List<TransactionRecord> expected = fixture("small.fs");
        ListStorage s = new ListStorage("s");
        expected.subList(0, 20).forEach(s::restore);
        assertThatThrownBy(() -> Importer.importFile(Manifest.FIXTURES.resolve("small.fs"), FileFormat.ZODB_FILESTORAGE, s, TransferOptions.defaults()))
                .hasMessageContaining("not empty");
        TransferResult r = Importer.importFile(Manifest.FIXTURES.resolve("small.fs"), FileFormat.ZODB_FILESTORAGE, s, TransferOptions.defaults().withIncremental(true));
        assertThat(r.skipped()).isEqualTo(20);
        assertThat(s.txns).isEqualTo(expected);
    }
}
