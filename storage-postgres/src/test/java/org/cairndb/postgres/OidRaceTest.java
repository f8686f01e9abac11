package org.cairndb.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cairndb.postgres.testing.TestPostgres;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;
import org.cairndb.storage.conformance.Kit;
import org.cairndb.storage.conformance.Records;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Oids stored directly (a restore, a caller's own oid) never come back from newOids, in this
 * process or another: two storage objects on one schema stand for two processes, each
 * holding a block it has only begun to hand out when the direct stores happen.
 */
class OidRaceTest {
    private static String db;
    private static int schemas;
    private final List<Storage> opened = new ArrayList<>();

    @BeforeAll
    static void database() {
        db = TestPostgres.get().newDatabase("oidrace");
    }

    @AfterEach
    void closeAll() {
        opened.forEach(Storage::close);
    }

    private Storage open(String history, String schema) {
        Storage s = Storages.open(TestPostgres.get().uri(db, "history=" + history + "&schema=" + schema + "&pool=4"));
        opened.add(s);
        return s;
    }

    @ParameterizedTest
    @ValueSource(strings = {"free", "preserving"})
    void newOids_afterRestoresAndDirectStoresInOtherProcesses_neverAUsedOid(String history) {
        String schema = "race" + (++schemas);
        Storage a = open(history, schema);
        Storage b = open(history, schema);
        long aFirst = a.newOids(1)[0]; // a holds the rest of its block
        long bFirst = b.newOids(1)[0]; // b holds the rest of another block
        StorageView bView = b.openView(); // b's object layer: syncs at each transaction start

        // A restore through a third storage object: oids inside a's and b's unused blocks,
        // and far beyond every block handed out so far.
        Storage restorer = open(history, schema);
        long high = 1_000_000;
        long[] restored = {aFirst + 5, bFirst + 7, high, high + 1, high + 250};
        long tid = Tid.of(java.time.Instant.now());
        List<Revision> revs = new ArrayList<>();
        for (long o : restored) revs.add(Revision.of(o, tid, Records.object("restored " + o)));
        ((PostgresStorage) restorer)
                .restoreBatch(List.of(new TransactionRecord(tid, false, TransactionMetadata.EMPTY, revs)));
        // a caller stores under oids of its own choosing: in b's block, and beyond the restored ones
        long chosenInB = bFirst + 20;
        long chosenHigh = high + 10_000;
        Kit.commit(restorer, chosenInB, Tid.ZERO, Records.object("chosen"));
        Kit.commit(restorer, chosenHigh, Tid.ZERO, Records.object("chosen high"));

        a.openView(); // a opens a view only now: it reads the log since its block was fetched
        bView.sync(); // b's view was open: its sync tells the allocator
        Set<Long> used = new HashSet<>();
        for (long o : restored) used.add(o);
        used.add(chosenInB);
        used.add(chosenHigh);

        // Both allocators hand out many blocks' worth; a fresh process too.
        Storage c = open(history, schema);
        Set<Long> handedOut = new HashSet<>();
        for (Storage s : List.of(a, b, c)) {
            long[] oids = s.newOids(1500);
            for (long o : oids) {
                assertThat(used).as("oid %d from %s", o, s).doesNotContain(o);
                assertThat(handedOut.add(o)).as("oid %d handed out twice", o).isTrue();
            }
            // and every one of them is free in the database: stored as new objects, none conflicts
            StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
            for (long o : oids) t.store(o, Tid.ZERO, Records.object("new " + o));
            t.vote();
            t.finish();
        }
        assertThat(handedOut).contains(aFirst + 6, bFirst + 21); // the held blocks were used past the stored oids
    }
}
