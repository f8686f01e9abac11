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
    @TempDir
    Path dir;

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
        TransferResult r = Importer.importFile(
                Manifest.FIXTURES.resolve("small.fs"),
                FileFormat.ZODB_FILESTORAGE,
                s,
                TransferOptions.defaults().withBatchRecords(50));
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
    void import_fileZodbPackedAfterUndos_importsEveryTransactionWithZodbsWarning() {
        ListStorage s = ListStorage.bulk("s");
        TransferResult r = Importer.importFile(
                Manifest.FIXTURES.resolve("edge_midpack.fs"),
                FileFormat.ZODB_FILESTORAGE,
                s,
                TransferOptions.defaults());
        assertThat(r.transactions()).isEqualTo(338);
        assertThat(s.txns).isEqualTo(fixture("edge_midpack.fs"));
        assertThat(r.warnings())
                .singleElement()
                .asString()
                .contains("incorrect previous pointer")
                .contains("at byte offset");
        assertThat(r.toString()).contains("warning: ");
    }

    @Test
    void exportAsFileStorage_fieldOver65535Bytes_isRefusedBeforeTheFileIsCreated() {
        ListStorage s = new ListStorage("native");
        List<TransactionRecord> txns = fixture("small.fs");
        txns.subList(0, 10).forEach(s::restore);
        TransactionRecord t = txns.get(10);
        s.restore(new TransactionRecord(
                t.tid(),
                false,
                new org.cairndb.storage.TransactionMetadata("u", "x".repeat(70_000), new byte[0]),
                t.revisions()));
        Path out = dir.resolve("Data.fs");
        assertThatThrownBy(() -> Exporter.export(s, out, FileFormat.ZODB_FILESTORAGE, TransferOptions.defaults()))
                .hasMessageContaining("nothing was written")
                .hasMessageContaining(org.cairndb.storage.Tid.hex(t.tid()))
                .hasMessageContaining("description takes 70000 bytes");
        assertThat(out).doesNotExist();
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
                .isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("byte offset")
                .hasMessageContaining("truncated");
        assertThat(s.txns).isNotEmpty().isEqualTo(expected.subList(0, s.txns.size()));
        // the first transaction not imported is the one the cut went through
        assertThat(s.txns.size()).isLessThan(expected.size());
    }

    @Test
    void import_nonEmptyDestination_needsIncrementalAndThenSkipsWhatIsThere() {
        List<TransactionRecord> expected = fixture("small.fs");
        ListStorage s = new ListStorage("s");
        expected.subList(0, 20).forEach(s::restore);
        assertThatThrownBy(() -> Importer.importFile(
                        Manifest.FIXTURES.resolve("small.fs"),
                        FileFormat.ZODB_FILESTORAGE,
                        s,
                        TransferOptions.defaults()))
                .hasMessageContaining("not empty");
        TransferResult r = Importer.importFile(
                Manifest.FIXTURES.resolve("small.fs"),
                FileFormat.ZODB_FILESTORAGE,
                s,
                TransferOptions.defaults().withIncremental(true));
        assertThat(r.skipped()).isEqualTo(20);
        assertThat(s.txns).isEqualTo(expected);
    }

    @Test
    void import_exportFileDamagedInALaterBlock_bulkDestinationHoldsTheWholePrefix() throws Exception {
        List<TransactionRecord> history = TestHistories.random(21, 400, 10);
        ListStorage src = new ListStorage("src");
        history.forEach(src::restore);
        Path file = dir.resolve("h.cairnexp");
        Exporter.export(src, file, FileFormat.CAIRN, TransferOptions.defaults());
        byte[] b = Files.readAllBytes(file);
        b[b.length * 3 / 4] ^= 0x10;
        Files.write(file, b);
        ListStorage dst = ListStorage.bulk("dst");
        assertThatThrownBy(() -> Importer.importFile(
                        file, FileFormat.CAIRN, dst, TransferOptions.defaults().withBatchRecords(100)))
                .isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("byte offset")
                .hasMessageContaining("read intact");
        assertThat(dst.txns).isEqualTo(history.subList(0, dst.txns.size()));
        assertThat(dst.txns.size()).isLessThan(history.size());
    }

    static TransferOptions stoppingAfter(int transactions) {
        StopSignal stop = new StopSignal();
        Progress p = new Progress() {
            public void update(long done, long records, double fraction) {
                if (done == transactions) stop.requestStop();
            }

            public void done(TransferResult result) {}
        };
        return TransferOptions.defaults().withProgress(p).withStop(stop);
    }

    @Test
    void export_stopped_leavesACompleteFileOfThePrefix() {
        List<TransactionRecord> history = TestHistories.random(22, 100, 5);
        ListStorage src = new ListStorage("src");
        history.forEach(src::restore);
        for (FileFormat f : FileFormat.values()) {
            Path file = dir.resolve("stopped-" + f);
            TransferResult r = Exporter.export(src, file, f, stoppingAfter(30));
            assertThat(r.stopped()).isTrue();
            ListStorage back = new ListStorage("back");
            TransferResult in = Importer.importFile(file, f, back, TransferOptions.defaults());
            assertThat(in.transactions()).isEqualTo(30);
            assertThat(back.txns).hasSize(30);
        }
    }
}
