package org.cairndb.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cairndb.postgres.testing.TestPostgres;
import org.cairndb.storage.Invalidations;
import org.cairndb.storage.Oid;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionRecord;
import org.cairndb.storage.conformance.Kit;
import org.cairndb.storage.conformance.Records;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The history-free transaction log is pruned, and nobody reading it misses a change. */
class LogPruneTest {
    private static String db;
    private static int schemas;
    private final List<Storage> opened = new ArrayList<>();

    @BeforeAll
    static void database() {
        db = TestPostgres.get().newDatabase("logprune");
    }

    @AfterEach
    void closeAll() {
        opened.forEach(Storage::close);
    }

    private PostgresStorage open(String schema) {
        PostgresStorage s = (PostgresStorage)
                Storages.open(TestPostgres.get().uri(db, "history=free&schema=" + schema + "&pool=4"));
        opened.add(s);
        return s;
    }

    private static long logRows(PostgresStorage s) throws Exception {
        try (Connection c = TestPostgres.get().connect(db);
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT count(*) FROM " + s.layout().sql.schema() + ".transaction_log")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void sync_readerBehindTheHorizon_getsEveryChangedOid() throws Exception {
        String schema = "p" + (++schemas);
        PostgresStorage w = open(schema);
        PostgresStorage r = open(schema); // another process
        long[] o = w.newOids(4);
        for (long x : o) Kit.commit(w, x, Tid.ZERO, Records.object("v0 " + x));
        StorageView behind = r.openView();
        StorageView current = r.openView();
        Kit.update(w, o[0], Records.object("v1"));
        Kit.update(w, o[1], Records.object("v1"));
        current.sync(); // this one has seen those two
        Kit.update(w, o[0], Records.object("v2")); // o[0] again: its current row is pruned range or later
        Kit.update(w, o[2], Records.object("v1"));
        Kit.update(w, o[3], Records.object("v1")); // the newest: its row is kept
        long rowsBefore = logRows(w);

        w.pruner().configure(1, 1000, 2); // keep one row, two per batch: several batches
        long pruned = w.pruner().prune(Long.MAX_VALUE, (phase, done, total) -> {});

        assertThat(pruned).isEqualTo(rowsBefore - 1);
        assertThat(logRows(w)).isEqualTo(1);
        assertThat(w.lastTid()).isEqualTo(r.lastTid());
        assertThat(w.pruner().horizon()).isLessThan(w.lastTid()).isGreaterThan(behind.tid());
        Invalidations inv = behind.sync();
        assertThat(inv.toTid()).isEqualTo(w.lastTid());
        assertThat(inv.oids()).containsExactlyInAnyOrder(o[0], o[1], o[2], o[3]);
        assertThat(Records.text(behind.load(o[0]).data())).isEqualTo("v2");
        Invalidations inv2 = current.sync();
        assertThat(inv2.oids()).containsExactlyInAnyOrder(o[0], o[2], o[3]);
        assertThat(current.sync().oids()).isEmpty(); // up to date: nothing more, nothing twice
    }

    @Test
    void iterate_afterPrune_currentRevisionsUnderTheirTids_copyEqual() throws Exception {
        String schema = "p" + (++schemas);
        PostgresStorage w = open(schema);
        long[] o = w.newOids(3);
        Kit.commit(w, Oid.ROOT, Tid.ZERO, Records.object("root", o));
        for (long x : o) Kit.commit(w, x, Tid.ZERO, Records.object("v0"));
        long t = Kit.update(w, o[1], Records.object("v1"));
        Kit.update(w, o[2], Records.object("v1"));
        w.pruner().configure(1, 1000, 100);
        w.pruner().prune(Long.MAX_VALUE, (phase, done, total) -> {});

        List<TransactionRecord> all = Kit.transactions(w);
        // root, o[0] (v0), o[1] at t, o[2]'s newest (kept log row): o[1] and o[2]'s v0 were overwritten
        assertThat(all).hasSize(4);
        TransactionRecord prunedOne =
                all.stream().filter(x -> x.tid() == t).findFirst().orElseThrow();
        assertThat(prunedOne.packed()).isTrue();
        assertThat(prunedOne.metadata().user()).isEmpty();
        assertThat(prunedOne.revisions()).extracting(Revision::oid).containsExactly(o[1]);
        assertThat(all.get(3).packed()).isFalse();
        assertThat(all.get(3).metadata().user()).isEqualTo("kit"); // the kept row keeps its metadata

        PostgresStorage copy = open("p" + (++schemas));
        copy.restoreBatch(all);
        for (long x : new long[] {Oid.ROOT, o[0], o[1], o[2]}) {
            assertThat(copy.load(x).data()).isEqualTo(w.load(x).data());
            assertThat(copy.load(x).tid()).isEqualTo(w.load(x).tid());
        }
    }

    @Test
    void autoPrune_whileWritersCommit_logStaysSmall_noWriterFails_listenersMissNothing() throws Exception {
        String schema = "p" + (++schemas);
        PostgresStorage w1 = open(schema);
        PostgresStorage w2 = open(schema);
        PostgresStorage reader = open(schema);
        w1.pruner().configure(5, 10, 4); // every 10 commits of w1, prune to the newest 5 rows, 4 per batch
        StorageView view = reader.openView();
        Map<Long, Long> heard = new java.util.concurrent.ConcurrentHashMap<>();
        List<Long> tidsHeard = new CopyOnWriteArrayList<>();
        try (AutoCloseable l = reader.addCommitListener((tid, oids) -> {
            tidsHeard.add(tid);
            for (long x : oids) heard.merge(x, tid, Math::max);
        })) {
            long[] a = w1.newOids(5);
            long[] b = w2.newOids(5);
            CompletableFuture<Integer> writer2 = CompletableFuture.supplyAsync(() -> {
                int n = 0;
                for (int i = 0; i < 150; i++, n++)
                    Kit.commit(w2, b[i % 5], i < 5 ? Tid.ZERO : Kit.currentTid(w2, b[i % 5]), Records.object("b" + i));
                return n;
            });
            for (int i = 0; i < 150; i++)
                Kit.commit(w1, a[i % 5], i < 5 ? Tid.ZERO : Kit.currentTid(w1, a[i % 5]), Records.object("a" + i));
            assertThat(writer2.join()).isEqualTo(150);
            w1.pruner().lastRun().join();
            w1.pruner().prune(Long.MAX_VALUE, (phase, done, total) -> {}); // what the last run left

            assertThat(logRows(w1)).isEqualTo(5);
            assertThat(w1.pruner().horizon()).isGreaterThan(view.tid());
            Invalidations inv = view.sync();
            Map<Long, byte[]> expected = new HashMap<>();
            for (long x : a) expected.put(x, w1.load(x).data());
            for (long x : b) expected.put(x, w1.load(x).data());
            assertThat(java.util.Arrays.stream(inv.oids()).boxed().toList())
                    .containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (Map.Entry<Long, byte[]> e : expected.entrySet())
                assertThat(view.load(e.getKey()).data()).isEqualTo(e.getValue());
            // the listener heard each object's last write (through the log or, past the horizon, object_state)
            long last = w1.lastTid();
            for (long x : expected.keySet()) {
                long cur = w1.load(x).tid();
                waitHeard(reader, heard, x, cur);
            }
            assertThat(tidsHeard).isSorted().doesNotHaveDuplicates();
            assertThat(tidsHeard.get(tidsHeard.size() - 1)).isLessThanOrEqualTo(last);
        }
    }

    /** The listener runs on NOTIFY: a sync of a view of the same storage object does not wait for it, so ask the poller directly. */
    private static void waitHeard(PostgresStorage reader, Map<Long, Long> heard, long oid, long tid) {
        reader.pollerCatchUp();
        assertThat(heard.get(oid)).as("last write of oid %d heard", oid).isEqualTo(tid);
    }
}
