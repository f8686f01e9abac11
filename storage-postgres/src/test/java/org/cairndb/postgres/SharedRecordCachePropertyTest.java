package org.cairndb.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.cairndb.postgres.testing.TestPostgres;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.conformance.Records;
import org.cairndb.storage.uri.Storages;

/**
 * The process-wide record cache of postgres:// against the MVCC rule, with real concurrency:
 * two threads, each on its own Storage object over one database (so they share one
 * {@link org.cairndb.storage.spi.SnapshotRecordCache}), run random programs of commits, view
 * opens, loads and syncs at the same time, keeping views open across commits. Every load is
 * recorded with its view's tid; afterwards each is checked against the complete commit
 * history (every commit is the test's own): the revision a view at T reads must be exactly
 * the newest one committed at or before T, with its data. The cache must also have answered
 * some of the loads, or the test proves nothing about it.
 */
class SharedRecordCachePropertyTest {
    private static final int OBJECTS = 6;
    private static List<Storage> storages;
    private static long[] oids;

    /** One step of a thread's program. */
    enum Step {
        COMMIT,
        OPEN_VIEW,
        LOAD_ALL,
        SYNC
    }

    record Observation(long viewTid, long oid, long tid, byte[] data) {}

    private static synchronized List<Storage> storages() {
        if (storages == null) {
            TestPostgres pg = TestPostgres.get();
            String uri = pg.uri(pg.newDatabase("reccache"), "history=free&pool=4");
            storages = List.of(Storages.open(uri), Storages.open(uri));
            oids = storages.get(0).newOids(OBJECTS);
            StorageTransaction t = storages.get(0).begin(TransactionMetadata.EMPTY);
            for (long oid : oids) t.store(oid, 0, Records.object("init"));
            t.vote();
            t.finish();
        }
        return storages;
    }

    @AfterContainer
    static void close() {
        if (storages != null) storages.forEach(Storage::close);
        storages = null;
    }

    @Provide
    Arbitrary<List<Step>> programs() {
        return Arbitraries.of(Step.class).list().ofMinSize(4).ofMaxSize(24);
    }

    @Provide
    Arbitrary<List<Integer>> objectPicks() {
        return Arbitraries.integers()
                .between(0, OBJECTS - 1)
                .list()
                .ofMinSize(24)
                .ofMaxSize(24);
    }

    @Property(tries = 20)
    void everyLoadSeesExactlyItsSnapshot(
            @ForAll("programs") List<Step> p0,
            @ForAll("programs") List<Step> p1,
            @ForAll("objectPicks") List<Integer> picks)
            throws Exception {
        List<Storage> st = storages();
        // oid -> (tid -> data) of every commit, this try's and earlier ones'
        Map<Long, ConcurrentSkipListMap<Long, byte[]>> history = new ConcurrentHashMap<>();
        List<Observation> seen = new CopyOnWriteArrayList<>();
        long before = ((PostgresStorage) st.get(0)).cache().hits();
        for (long oid : oids) {
            Loaded l = st.get(0).load(oid); // not through a view: not cached
            history.computeIfAbsent(oid, k -> new ConcurrentSkipListMap<>()).put(l.tid(), l.data());
        }
        CyclicBarrier start = new CyclicBarrier(2);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<List<Step>> programs = List.of(p0, p1);
        for (int w = 0; w < 2; w++) {
            int me = w;
            threads.add(new Thread(() -> {
                try {
                    start.await();
                    run(st.get(me), me, programs.get(me), picks, history, seen);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) t.join();
        assertThat(failures).isEmpty();
        for (Observation o : seen) {
            Map.Entry<Long, byte[]> expected = history.get(o.oid()).floorEntry(o.viewTid());
            assertThat(o.tid())
                    .as("revision of oid %d read by a view at %d", o.oid(), o.viewTid())
                    .isEqualTo(expected.getKey());
            assertThat(Records.text(o.data())).isEqualTo(Records.text(expected.getValue()));
        }
        if (seen.size() > 2 * OBJECTS) {
            assertThat(((PostgresStorage) st.get(0)).cache().hits())
                    .as("cache hits")
                    .isGreaterThan(before);
        }
    }

    private static void run(
            Storage s,
            int me,
            List<Step> program,
            List<Integer> picks,
            Map<Long, ConcurrentSkipListMap<Long, byte[]>> history,
            List<Observation> seen) {
        StorageView view = null;
        int n = 0;
        try {
            for (Step step : program) {
                n++;
                switch (step) {
                    case COMMIT -> commit(s, me, n, picks, history);
                    case OPEN_VIEW -> {
                        if (view != null) view.close(); // an older one stays open otherwise, across commits
                        view = s.openView();
                    }
                    case SYNC -> {
                        if (view != null) view.sync();
                    }
                    case LOAD_ALL -> {
                        if (view == null) view = s.openView();
                        for (long oid : oids) {
                            Loaded l = view.load(oid);
                            seen.add(new Observation(view.tid(), oid, l.tid(), l.data()));
                        }
                    }
                }
            }
        } finally {
            if (view != null) view.close();
        }
    }

    private static void commit(
            Storage s, int me, int n, List<Integer> picks, Map<Long, ConcurrentSkipListMap<Long, byte[]>> history) {
        Map<Long, byte[]> writes = new TreeMap<>();
        for (int i = 0; i < 1 + (n + me) % 3; i++) {
            long oid = oids[picks.get((n * 3 + i + me * 7) % picks.size())];
            writes.put(oid, Records.object("w" + me + "-" + n + "-" + System.nanoTime()));
        }
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        try {
            for (Map.Entry<Long, byte[]> e : writes.entrySet())
                t.store(e.getKey(), s.load(e.getKey()).tid(), e.getValue());
            t.vote();
            long tid = t.finish();
            for (Map.Entry<Long, byte[]> e : writes.entrySet()) {
                history.computeIfAbsent(e.getKey(), k -> new ConcurrentSkipListMap<>())
                        .put(tid, e.getValue());
            }
        } catch (ConflictException e) {
            t.abort(); // the other thread wrote it between our read and vote: nothing committed
        }
    }
}
