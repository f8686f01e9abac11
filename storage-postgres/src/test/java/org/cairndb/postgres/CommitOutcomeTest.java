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
            assertThatThrownBy(t::finish)
                    .isInstanceOf(RetryableException.class)
                    .hasMessageContaining("lost during COMMIT")
                    .hasMessageContaining("NOT committed");
            t.abort();
            PgTransaction.beforeCommit = null;
            assertThat(s.lastTid()).isEqualTo(a[1]);
            assertThat(Records.text(s.load(a[0]).data())).isEqualTo("before");
            assertThat(Kit.commit(s, a[0], a[1], Records.object("after"))).isGreaterThan(a[1]); // the storage goes on
        }
    }

    @Test
    void committedTid_asksByTransactionId_theTidIfItCommittedNullOtherwise() throws SQLException {
        TestPostgres pg = TestPostgres.get();
        String db = pg.newDatabase("outcome2");
        try (PostgresStorage s = (PostgresStorage) Storages.open(pg.uri(db, "history=free"))) {
            long[] a = Kit.commitNew(s, Records.object("x"));
            long xid;
            try (Connection c = pg.connect(db);
                    Statement st = c.createStatement();
                    java.sql.ResultSet rs = st.executeQuery(
                            "SELECT xmin::text::bigint FROM cairn.transaction_log WHERE tid = " + a[1])) {
                assertThat(rs.next()).isTrue();
                xid = rs.getLong(1);
            }
            SQLException cause = new SQLException("connection reset", "08006");
            assertThat(s.log().committedTid(xid, a[1], new long[] {a[0]}, cause))
                    .isEqualTo(a[1]);
            assertThat(s.log().committedTid(xid + 1, a[1], new long[] {a[0]}, cause))
                    .isNull();
            assertThat(s.log().committedTid(xid + 1, a[1], new long[0], cause)).isNull(); // no rows to wait on: drains
        }
    }

    private static void terminate(TestPostgres pg, String db, Connection victim) {
        try (Connection admin = pg.connect(db);
                Statement st = admin.createStatement()) {
            int pid = victim.unwrap(org.postgresql.PGConnection.class).getBackendPID();
            st.execute("SELECT pg_terminate_backend(" + pid + ", 10000)"); // returns once it is gone
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
