package org.cairndb.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.cairndb.postgres.testing.TestPostgres;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.Invalidations;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.TransactionRecord;
import org.cairndb.storage.conformance.Kit;
import org.cairndb.storage.conformance.Records;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writers commit out of tid order (the tid is chosen under a short lock, COMMIT runs outside
 * it): writer A is held by the test seam after its tid was chosen and before its COMMIT while
 * writer B, with a later tid, commits. Readers (a view's sync, lastTid, iteration, commit
 * listeners) of a third storage object (another process) must not report B while A is in
 * flight, and see both, in tid order, once A has ended; a rolled-back A leaves a hole that is
 * skipped.
 */
class OutOfOrderCommitTest {
    private static String db;
    private static int schemas;
    private final List<PostgresStorage> opened = new ArrayList<>();

    @BeforeAll
    static void database() {
        db = TestPostgres.get().newDatabase("outoforder");
    }

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void closeAll() {
        pool.shutdownNow();
        opened.forEach(PostgresStorage::close);
    }

    /** Returns once {@code n} requests wait for an in-flight marker (readers blocked on A). */
    private static void awaitWaiters(int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Connection c = TestPostgres.get().connect(db);
                Statement st = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                        + " AND NOT granted AND mode = 'ShareLock'")) {
                    rs.next();
                    if (rs.getInt(1) >= n) return;
                }
                Thread.onSpinWait();
            }
        }
        throw new AssertionError("fewer than " + n + " readers ever waited for the writer in flight");
    }

    private PostgresStorage open(String history, String schema) {
        PostgresStorage s =
                (PostgresStorage) Storages.open(TestPostgres.get().uri(db, "history=" + history + "&schema=" + schema));
        opened.add(s);
        return s;
    }

    /** A held between choosing its tid and COMMIT: the seam parks it until released. */
    private static final class Hold {
        final CountDownLatch chosen = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile long tid;
        volatile boolean rollback;

        void install(PostgresStorage s) {
            s.afterTidChosen = t -> {
                tid = t;
                chosen.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (rollback) throw new IllegalStateException("test seam: A gives up after choosing tid " + t);
            };
        }
    }

    /** Writers a and b (each with one committed object of its own) and a reader r, on a fresh schema. */
    private record Scene(PostgresStorage a, PostgresStorage b, PostgresStorage r, long[] ao, long[] bo) {}

    private Scene scene(String history) {
        String schema = "ooo" + (++schemas);
        PostgresStorage a = open(history, schema);
        PostgresStorage b = open(history, schema);
        PostgresStorage r = open(history, schema);
        return new Scene(a, b, r, Kit.commitNew(a, Records.object("a0")), Kit.commitNew(b, Records.object("b0")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"free", "preserving"})
    void readers_laterTidCommittedWhileEarlierInFlight_seeNeitherUntilTheEarlierEnds(String history) throws Exception {
        Scene sc = scene(history);
        PostgresStorage a = sc.a(), b = sc.b(), r = sc.r();
        long[] ao = sc.ao(), bo = sc.bo();
        StorageView view = r.openView();
        long start = view.tid();
        List<Long> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        AutoCloseable listener = r.addCommitListener((tid, oids) -> heard.add(tid));

        Hold hold = new Hold();
        hold.install(a);
        CompletableFuture<Long> aCommit =
                CompletableFuture.supplyAsync(() -> Kit.commit(a, ao[0], ao[1], Records.object("a1")), pool);
        assertThat(hold.chosen.await(30, TimeUnit.SECONDS))
                .as("A chose its tid")
                .isTrue();
        long bTid = Kit.commit(b, bo[0], bo[1], Records.object("b1"));
        assertThat(bTid).isGreaterThan(hold.tid); // B's tid is later, and B is committed (visible) first

        // Readers now must wait for A: a sync ends only after A's COMMIT, and then holds both.
        CompletableFuture<Invalidations> sync = CompletableFuture.supplyAsync(view::sync, pool);
        CompletableFuture<Long> last = CompletableFuture.supplyAsync(r::lastTid, pool);
        CompletableFuture<Void> poll = CompletableFuture.runAsync(r::pollerCatchUp, pool); // as B's NOTIFY does
        awaitWaiters(3);
        assertThat(heard).doesNotContain(bTid); // the listener is not told of B before A
        assertThat(poll).isNotDone();
        assertThat(sync).isNotDone();
        assertThat(last).isNotDone();
        hold.release.countDown();
        long aTid = aCommit.get(30, TimeUnit.SECONDS);
        assertThat(aTid).isEqualTo(hold.tid).isLessThan(bTid);
        Invalidations inv = sync.get(30, TimeUnit.SECONDS);
        assertThat(inv.toTid()).isEqualTo(bTid);
        assertThat(inv.oids()).contains(ao[0], bo[0]);
        assertThat(Records.text(view.load(ao[0]).data())).isEqualTo("a1");
        assertThat(Records.text(view.load(bo[0]).data())).isEqualTo("b1");
        assertThat(last.get(30, TimeUnit.SECONDS)).isEqualTo(bTid);
        poll.get(30, TimeUnit.SECONDS);
        r.pollerCatchUp();
        assertThat(heard).containsSubsequence(aTid, bTid);
        assertThat(heard).isSorted();
        try (CloseableIterator<TransactionRecord> it = r.iterator(start + 1, Long.MAX_VALUE)) {
            List<Long> tids = new ArrayList<>();
            it.forEachRemaining(t -> tids.add(t.tid()));
            assertThat(tids).containsExactly(aTid, bTid);
        }
        listener.close();
        view.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"free", "preserving"})
    void readers_earlierInFlightRolledBack_skipItsHole(String history) throws Exception {
        Scene sc = scene(history);
        PostgresStorage a = sc.a(), b = sc.b(), r = sc.r();
        long[] ao = sc.ao(), bo = sc.bo();
        StorageView view = r.openView();

        Hold hold = new Hold();
        hold.install(a);
        hold.rollback = true;
        CompletableFuture<Long> aCommit =
                CompletableFuture.supplyAsync(() -> Kit.commit(a, ao[0], ao[1], Records.object("a1")), pool);
        assertThat(hold.chosen.await(30, TimeUnit.SECONDS)).isTrue();
        long bTid = Kit.commit(b, bo[0], bo[1], Records.object("b1"));
        CompletableFuture<Invalidations> sync = CompletableFuture.supplyAsync(view::sync, pool);
        assertThat(r.iterator(bTid, bTid).hasNext())
                .as("iteration from B's tid does not need A")
                .isTrue();
        awaitWaiters(1);
        assertThat(sync).isNotDone();
        hold.release.countDown();
        assertThatThrownBy(() -> aCommit.get(30, TimeUnit.SECONDS)).hasMessageContaining("test seam");
        Invalidations inv = sync.get(30, TimeUnit.SECONDS);
        assertThat(inv.toTid()).isEqualTo(bTid);
        assertThat(inv.oids()).containsExactly(bo[0]);
        assertThat(Records.text(view.load(ao[0]).data())).isEqualTo("a0");
        assertThat(r.lastTid()).isEqualTo(bTid);
        a.afterTidChosen = null;
        long again = Kit.commit(a, ao[0], ao[1], Records.object("a2"));
        assertThat(again).isGreaterThan(bTid);
        assertThat(view.sync().oids()).containsExactly(ao[0]);
        view.close();
    }

    /**
     * Many writers commit at once (out of tid order for real, no seam): a listener hears every
     * tid exactly once in tid order, and every snapshot a syncing view took holds, for each
     * object, exactly the newest revision at or below its tid (a prefix: nothing skipped).
     */
    @ParameterizedTest
    @ValueSource(strings = {"free", "preserving"})
    void readers_concurrentWriters_hearEveryTidInOrderAndSeePrefixes(String history) throws Exception {
        String schema = "ooo" + (++schemas);
        int writers = 4;
        int each = 30;
        PostgresStorage r = open(history, schema);
        List<Long> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        AutoCloseable listener = r.addCommitListener((tid, oids) -> heard.add(tid));
        List<PostgresStorage> ws = new ArrayList<>();
        long[] oid = new long[writers];
        long[] first = new long[writers];
        for (int i = 0; i < writers; i++) {
            ws.add(open(history, schema));
            long[] o = Kit.commitNew(ws.get(i), Records.object("w" + i + " 0"));
            oid[i] = o[0];
            first[i] = o[1];
        }
        r.pollerCatchUp();
        heard.clear();
        long before = r.lastTid();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        // each snapshot: its tid and, per writer, the tid of the revision the view sees
        List<long[]> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch reading = new CountDownLatch(1);
        CompletableFuture<Void> reader = CompletableFuture.runAsync(
                () -> {
                    try (StorageView v = r.openView()) {
                        reading.countDown();
                        boolean last;
                        do {
                            last = done.get(); // one more snapshot after the writers are done
                            v.sync();
                            long[] snap = new long[writers + 1];
                            snap[0] = v.tid();
                            for (int i = 0; i < writers; i++)
                                snap[i + 1] = v.load(oid[i]).tid();
                            seen.add(snap);
                        } while (!last);
                    }
                },
                pool);
        assertThat(reading.await(30, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<List<Long>>> commits = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            int w = i;
            commits.add(CompletableFuture.supplyAsync(
                    () -> {
                        List<Long> mine = new ArrayList<>();
                        long read = first[w];
                        for (int n = 1; n <= each; n++) {
                            read = Kit.commit(ws.get(w), oid[w], read, Records.object("w" + w + " " + n));
                            mine.add(read);
                        }
                        return mine;
                    },
                    pool));
        }
        List<List<Long>> byWriter = new ArrayList<>();
        for (CompletableFuture<List<Long>> c : commits) byWriter.add(c.get(120, TimeUnit.SECONDS));
        done.set(true);
        reader.get(60, TimeUnit.SECONDS);
        r.pollerCatchUp();
        listener.close();

        List<Long> all = new ArrayList<>();
        byWriter.forEach(all::addAll);
        all.sort(null);
        assertThat(heard).as("every tid heard once, in tid order").containsExactlyElementsOf(all);
        assertThat(r.lastTid()).isEqualTo(all.get(all.size() - 1)).isGreaterThan(before);
        assertThat(seen).isNotEmpty();
        assertThat(seen.get(seen.size() - 1)[0])
                .as("the last snapshot holds every commit")
                .isEqualTo(all.get(all.size() - 1));
        for (long[] snap : seen) {
            for (int i = 0; i < writers; i++) {
                long expected = first[i];
                for (long t : byWriter.get(i)) if (t <= snap[0]) expected = t;
                assertThat(snap[i + 1])
                        .as("writer %d in the snapshot at %d", i, snap[0])
                        .isEqualTo(expected);
            }
        }
    }
}
