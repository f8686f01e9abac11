package org.cairndb.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.cairndb.storage.StorageMisuseException;
import org.cairndb.storage.TransactionRecord;
import org.junit.jupiter.api.Test;

class CopierTest {
    final List<TransactionRecord> history = TestHistories.random(3, 200, 12);

    ListStorage source() {
        ListStorage s = new ListStorage("src");
        history.forEach(s::restore);
        return s;
    }

    @Test
    void copy_everyTransaction_isEqualAndVerifies() {
        ListStorage dst = new ListStorage("dst");
        TransferResult r = Copier.copy(source(), dst, TransferOptions.defaults());
        assertThat(dst.txns).isEqualTo(history);
        assertThat(r.transactions()).isEqualTo(200);
        assertThat(r.records())
                .isEqualTo(history.stream().mapToLong(t -> t.revisions().size()).sum());
        assertThat(Verifier.compareAll(source(), dst, Progress.NONE, new StopSignal())
                        .equal())
                .isTrue();
    }

    @Test
    void copy_bulkDestination_restoresInBatchesOfWholeTransactions() {
        ListStorage dst = ListStorage.bulk("dst");
        Copier.copy(source(), dst, TransferOptions.defaults().withBatchRecords(100));
        assertThat(dst.txns).isEqualTo(history);
        assertThat(dst.batchCalls).isGreaterThan(5);
        assertThat(dst.restoreCalls).isZero();
    }

    @Test
    void copy_nonEmptyDestinationWithoutIncremental_isRefused() {
        ListStorage dst = new ListStorage("dst");
        dst.restore(history.get(0));
        assertThatThrownBy(() -> Copier.copy(source(), dst, TransferOptions.defaults()))
                .isInstanceOf(StorageMisuseException.class)
                .hasMessageContaining("not empty")
                .hasMessageContaining("--incremental");
    }

    @Test
    void copyIncremental_afterPartialCopy_continuesWithoutDuplicatesOrGaps() {
        ListStorage dst = new ListStorage("dst");
        history.subList(0, 77).forEach(dst::restore);
        TransferResult r = Copier.copy(source(), dst, TransferOptions.defaults().withIncremental(true));
        assertThat(dst.txns).isEqualTo(history);
        assertThat(r.transactions()).isEqualTo(123);
        TransferResult again =
                Copier.copy(source(), dst, TransferOptions.defaults().withIncremental(true));
        assertThat(again.transactions()).isZero();
        assertThat(dst.txns).isEqualTo(history);
    }

    @Test
    void copyIncremental_destinationNotACopyOfSource_isRefused() {
        ListStorage dst = new ListStorage("dst");
        TransactionRecord foreign = new TransactionRecord(history.get(5).tid() + 1, false, null, List.of());
        dst.restore(foreign);
        assertThatThrownBy(() ->
                        Copier.copy(source(), dst, TransferOptions.defaults().withIncremental(true)))
                .hasMessageContaining("is not in the source");
    }

    @Test
    void copy_stopRequested_endsAfterWholeBatchAndResumes() {
        ListStorage dst = ListStorage.bulk("dst");
        StopSignal stop = new StopSignal();
        Progress stopAt50 = new Progress() {
            public void update(long transactions, long records, double fraction) {
                if (transactions == 50) stop.requestStop();
            }

            public void done(TransferResult result) {}
        };
        TransferResult r = Copier.copy(
                source(),
                dst,
                TransferOptions.defaults()
                        .withBatchRecords(1_000_000)
                        .withProgress(stopAt50)
                        .withStop(stop));
        assertThat(r.stopped()).isTrue();
        assertThat(dst.txns).isEqualTo(history.subList(0, 50));
        Copier.copy(source(), dst, TransferOptions.defaults().withIncremental(true));
        assertThat(dst.txns).isEqualTo(history);
    }
}
