package org.cairndb.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.cairndb.storage.Storage;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Import into a cairn:// storage goes over the protocol in RESTORE_BATCH requests, which the
 * server applies with its storage's bulk path: no per-transaction RESTORE, and a batch larger
 * than the frame limit is sent as several requests of whole transactions.
 */
class RemoteBatchRestoreTest {
    @TempDir
    Path dir;

    @Test
    void importOverCairnProtocol_usesTheServedStoragesBulkPath_inFramesOfWholeTransactions() throws Exception {
        ListStorage.Bulk backing = (ListStorage.Bulk) ListStorage.bulk("backing");
        try (CairnServer server = CairnServer.start(new ServerConfig().port(0).storage("main", backing));
                // 4 MiB frames: a batch of 2,000 records of edge.fs (records up to 1.5 MiB) takes several requests
                Storage remote = Storages.open("cairn://127.0.0.1:" + server.port() + "/main?max-frame=4194304")) {
            TransferResult r = Importer.importFile(
                    Manifest.FIXTURES.resolve("edge.fs"),
                    FileFormat.ZODB_FILESTORAGE,
                    remote,
                    TransferOptions.defaults().withBatchRecords(2_000));
            assertThat(r.transactions()).isEqualTo(399);
            assertThat(backing.txns).isEqualTo(ImporterTest.fixture("edge.fs"));
            assertThat(backing.restoreCalls)
                    .as("transactions restored one by one")
                    .isZero();
            assertThat(backing.batchCalls)
                    .as("bulk batches applied by the server")
                    .isGreaterThan(2);
            assertThat(remote.lastTid()).isEqualTo(backing.lastTid());
            Path out = dir.resolve("out.fs");
            Exporter.export(remote, out, FileFormat.ZODB_FILESTORAGE, TransferOptions.defaults());
            assertThat(Files.mismatch(Manifest.FIXTURES.resolve("edge.fs"), out))
                    .isEqualTo(-1L);
        }
    }

    @Test
    void batchOverCairnProtocol_toStorageWithoutBulkPath_isRefusedWholeWhenATidIsNotAfterTheLast() {
        try (Storage backing = Storages.open("temp:");
                CairnServer server =
                        CairnServer.start(new ServerConfig().port(0).storage("main", backing));
                Storage remote = Storages.open("cairn://127.0.0.1:" + server.port() + "/main")) {
            java.util.List<org.cairndb.storage.TransactionRecord> txns = ImporterTest.fixture("small.fs");
            ((org.cairndb.storage.BulkRestore) remote).restoreBatch(txns.subList(0, 10));
            long last = backing.lastTid();
            // increasing within the batch, but its first transaction is already there: nothing of it may be restored
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> ((org.cairndb.storage.BulkRestore) remote).restoreBatch(txns.subList(9, 20)))
                    .isInstanceOf(org.cairndb.storage.StorageMisuseException.class)
                    .hasMessageContaining("nothing restored");
            assertThat(backing.lastTid()).isEqualTo(last);
            ((org.cairndb.storage.BulkRestore) remote).restoreBatch(txns.subList(10, 20));
            assertThat(backing.lastTid()).isEqualTo(txns.get(19).tid());
        }
    }
}
