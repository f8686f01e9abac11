package org.cairndb.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.cairndb.postgres.testing.TestPostgres;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;
import org.cairndb.storage.conformance.Records;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tid mark ({@code tid_high}) is a sequence, not transactional: a restore batch or a
 * commit that rolls back after choosing its tid (a copy killed with SIGKILL mid-batch) leaves
 * it ahead of everything committed. A copy resumed with {@code --incremental} restores the
 * next transactions after the last COMMITTED tid, which may lie below that mark: the restore
 * must take them (it once compared with the mark and refused).
 */
class RestoreAfterRollbackTest {
    private static String db;

    @BeforeAll
    static void database() {
        db = TestPostgres.get().newDatabase("restorerb");
    }

    @ParameterizedTest
    @ValueSource(strings = {"free", "preserving"})
    void restoreBatch_belowAMarkLeftByARolledBackBatch_isTakenAfterTheLastCommittedTid(String history)
            throws Exception {
        String schema = "rb_" + history;
        String uri = TestPostgres.get().uri(db, "history=" + history + "&schema=" + schema + "&pool=2");
        long t0 = Tid.of(java.time.Instant.parse("2026-01-01T00:00:00Z"));
        try (Storage s = Storages.open(uri)) {
            PostgresStorage pg = (PostgresStorage) s;
            pg.restoreBatch(List.of(txn(t0, 1)));
            // what a killed batch of t0+1..t0+100 leaves behind: the mark at its last tid, nothing logged
            try (Connection c = TestPostgres.get().connect(db);
                    Statement st = c.createStatement()) {
                st.execute("SELECT setval('" + schema + ".tid_high', " + (t0 + 100) + ")");
            }
            assertThat(s.lastTid()).isEqualTo(t0);
            pg.restoreBatch(List.of(txn(t0 + 1, 2), txn(t0 + 2, 3)));
            assertThat(s.lastTid()).isEqualTo(t0 + 2);
            assertThat(s.load(3).tid()).isEqualTo(t0 + 2);
            // a commit afterwards gets a tid above the mark and above the log
            org.cairndb.storage.conformance.Kit.commit(s, 4, Tid.ZERO, Records.object("after"));
            assertThat(s.lastTid()).isGreaterThan(t0 + 100);
        }
    }

    private static TransactionRecord txn(long tid, long oid) {
        return new TransactionRecord(
                tid, false, TransactionMetadata.EMPTY, List.of(Revision.of(oid, tid, Records.object("o" + oid))));
    }
}
