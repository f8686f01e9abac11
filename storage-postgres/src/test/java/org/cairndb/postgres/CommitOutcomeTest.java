package org.cairndb.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.cairndb.postgres.testing.TestPostgres;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.conformance.Kit;
import org.cairndb.storage.conformance.Records;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What finish reports when the connection is cut around COMMIT: the truth, found by tid. */
class CommitOutcomeTest {

    @AfterEach
    void noHook() {
        PgTransaction.beforeCommit = null;
    }

    @Test
    void finish_connectionKilledBeforeCommit_reportsNotCommittedAndLeavesNoTrace() {
        TestPostgres pg = TestPostgres.get();
        String db = pg.newDatabase("outcome");
        try (Storage s = Storages.open(pg.uri(db, "history=preserving"))) {
            long[] a = Kit.commitNew(s, Records.object("before"));
            PgTransaction.beforeCommit = c -> terminate(pg, db, c);
            StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
            t.store(a[0], a[1], Records.object("lost with its connection"));
            t.vote();
            assertThatThrownBy(t::finish).isInstanceOf(RetryableException.class)
                    .hasMessageContaining("lost during COMMIT").hasMessageContaining("NOT committed");
            t.abort();
            PgTransaction.beforeCommit = null;
            assertThat(s.lastTid()).isEqualTo(a[1]);
            assertThat(Records.text(s.load(a[0]).data())).isEqualTo("before");
            assertThat(Kit.commit(s, a[0], a[1], Records.object("after"))).isGreaterThan(a[1]); // the storage goes on
        }
    }

    @Test
    void committed_asksByTid_trueForACommittedTidFalseOtherwise() {
        TestPostgres pg = TestPostgres.get();
        try (PostgresStorage s = (PostgresStorage) Storages.open(pg.uri(pg.newDatabase("outcome2"), "history=free"))) {
            long[] a = Kit.commitNew(s, Records.object("x"));
            SQLException cause = new SQLException("connection reset", "08006");
            assertThat(s.log().committed(a[1], cause)).isTrue();
            assertThat(s.log().committed(Tid.next(a[1]), cause)).isFalse();
        }
    }

    private static void terminate(TestPostgres pg, String db, Connection victim) {
        try (Connection admin = pg.connect(db); Statement st = admin.createStatement()) {
            int pid = victim.unwrap(org.postgresql.PGConnection.class).getBackendPID();
            st.execute("SELECT pg_terminate_backend(" + pid + ", 10000)"); // returns once it is gone
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
