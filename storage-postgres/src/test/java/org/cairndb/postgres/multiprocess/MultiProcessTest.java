package org.cairndb.postgres.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.cairndb.postgres.testing.TestPostgres;
import org.cairndb.storage.Storage;
import org.cairndb.storage.TransactionRecord;
import org.cairndb.storage.conformance.Kit;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Several JVM processes committing to one database at once. */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a deadline that fails a hung test
class MultiProcessTest {
    private static final int ACCOUNTS = 6;
    private static final long INITIAL = 1000;
    private static TestPostgres pg;
    private static String db;

    @BeforeAll
    static void database() {
        pg = TestPostgres.get();
        db = pg.newDatabase("multiprocess");
    }

    /**
     * 4 processes make random transfers between 6 accounts (overlapping objects, so conflicts
     * happen); each checks at every sync that its snapshot sums to the total. Afterwards the
     * stored balances equal a serial replay of the committed transfers in tid order (no lost
     * update), and the log holds exactly those transfers.
     */
    @Test
    void fourProcesses_overlappingTransfers_finalStateIsSerialReplayAndEverySnapshotBalances() throws Exception {
        String uri = pg.uri(db, "history=free&schema=bank&pool=3");
        try (Storage s = Storages.open(uri)) {
            Bank.open(s, ACCOUNTS, INITIAL);
        }
        List<Child> children = new ArrayList<>();
        for (int i = 0; i < 4; i++)
            children.add(new Child("bank", uri, "" + ACCOUNTS, "" + INITIAL, "25", "" + (17 + i)));
        List<Bank.Transfer> transfers = new ArrayList<>();
        for (Child c : children) {
            assertThat(c.exit()).as("child output %s", c.lines).isZero();
            assertThat(c.lines).contains("DONE");
            c.lines.stream()
                    .filter(l -> l.startsWith("COMMIT "))
                    .map(Bank.Transfer::parse)
                    .forEach(transfers::add);
        }
        assertThat(transfers).hasSize(100);
        transfers.sort(Comparator.comparingLong(Bank.Transfer::tid));
        Map<Long, Long> expected = Bank.replay(transfers, ACCOUNTS, INITIAL);
        try (Storage s = Storages.open(uri)) {
            Map<Long, Long> actual = new TreeMap<>();
            for (long oid = 1; oid <= ACCOUNTS; oid++)
                actual.put(oid, Bank.balance(s.load(oid).data()));
            assertThat(actual).isEqualTo(expected);
            List<Long> logged = Kit.transactions(s).stream()
                    .filter(t -> t.metadata().description().equals("transfer"))
                    .map(TransactionRecord::tid)
                    .collect(Collectors.toList());
            assertThat(logged)
                    .containsExactlyElementsOf(
                            transfers.stream().map(Bank.Transfer::tid).toList());
        }
    }

    /**
     * Two processes vote transactions on different objects; both report VOTED (each holds the
     * row lock of its object) before either is told to finish. If locking serialised writers,
     * the second could not vote until the first finished and this test would not get past
     * the second await.
     */
    @Test
    void twoProcesses_differentObjects_holdTheirObjectLocksAtTheSameTime() throws Exception {
        String uri = pg.uri(db, "history=preserving&schema=locks");
        long t0;
        try (Storage s = Storages.open(uri)) {
            Bank.open(s, 2, INITIAL);
            t0 = s.lastTid();
        }
        try (Child a = new Child("hold", uri, "1", "" + t0);
                Child b = new Child("hold", uri, "2", "" + t0)) {
            a.await("VOTED");
            b.await("VOTED"); // a still holds its lock here
            a.send("GO");
            b.send("GO");
            long ta = Long.parseLong(a.await("FINISHED").split(" ")[1]);
            long tb = Long.parseLong(b.await("FINISHED").split(" ")[1]);
            assertThat(ta).isNotEqualTo(tb);
            assertThat(a.exit()).isZero();
            assertThat(b.exit()).isZero();
        }
        try (Storage s = Storages.open(uri)) {
            assertThat(Bank.balance(s.load(1).data())).isEqualTo(1000);
            assertThat(Bank.balance(s.load(2).data())).isEqualTo(2000);
        }
    }

    /**
     * The control: two processes on the SAME object. The second's vote waits on the first's
     * row lock (PostgreSQL reports it waiting on a lock), and once the first commits it sees
     * the new tid under the lock and reports a conflict.
     */
    @Test
    void twoProcesses_sameObject_secondWaitsOnTheRowLockThenConflicts() throws Exception {
        String uri = pg.uri(db, "history=free&schema=same");
        long t0;
        try (Storage s = Storages.open(uri)) {
            Bank.open(s, 1, INITIAL);
            t0 = s.lastTid();
        }
        try (Child a = new Child("hold", uri, "1", "" + t0)) {
            a.await("VOTED");
            Child b = new Child("hold", uri, "1", "" + t0);
            b.await("VOTING");
            awaitBackendWaitingOnLock();
            a.send("GO");
            a.await("FINISHED");
            b.await("CONFLICT");
            assertThat(a.exit()).isZero();
            assertThat(b.exit()).isZero();
            b.close();
        }
    }

    /** Asks pg_stat_activity until a backend of this database waits on a lock (the event itself; no timer). */
    private static void awaitBackendWaitingOnLock() throws Exception {
        try (Connection c = pg.connect(db);
                Statement st = c.createStatement()) {
            while (true) {
                try (ResultSet rs =
                        st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                + " AND wait_event_type = 'Lock'")) {
                    rs.next();
                    if (rs.getInt(1) > 0) return;
                }
                Thread.onSpinWait();
            }
        }
    }
}
