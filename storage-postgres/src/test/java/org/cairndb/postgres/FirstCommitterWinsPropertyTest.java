package org.cairndb.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.cairndb.postgres.testing.TestPostgres;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.conformance.Kit;
import org.cairndb.storage.conformance.Records;
import org.cairndb.storage.uri.Storages;

/**
 * Random schedules of two or three writers, each on its own storage object (as separate
 * processes would be) over one database, against a model of first-committer-wins with
 * resolution: object 0 is a counter (a concurrent increment is merged: committed + mine -
 * ancestor), objects 1 and 2 are plain (a concurrent write is a conflict that aborts the
 * whole transaction). Each writer reads all objects in a view, later commits its writes; the
 * schedule interleaves reads and commits.
 */
class FirstCommitterWinsPropertyTest {
    private static final int OBJECTS = 3;
    private static final Map<Boolean, List<Storage>> STORAGES = new HashMap<>();

    private static synchronized List<Storage> storages(boolean history) {
        return STORAGES.computeIfAbsent(history, h -> {
            TestPostgres pg = TestPostgres.get();
            String uri = pg.uri(
                    pg.newDatabase("fcw" + (h ? "hp" : "hf")), "history=" + (h ? "preserving" : "free") + "&pool=3");
            List<Storage> l = new ArrayList<>();
            for (int i = 0; i < 3; i++) l.add(Storages.open(uri));
            return l;
        });
    }

    @AfterContainer
    static void close() {
        STORAGES.values().forEach(l -> l.forEach(Storage::close));
        STORAGES.clear();
    }

    /** What one writer does: which objects it writes, and the counter increment. */
    record Writer(boolean[] writes, int increment) {}

    record Schedule(List<Writer> writers, List<Integer> events) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            boolean[] read = new boolean[writers.size()];
            for (int w : events) {
                sb.append(read[w] ? "commit" : "read").append(w).append(' ');
                read[w] = true;
            }
            for (int i = 0; i < writers.size(); i++)
                sb.append("| w")
                        .append(i)
                        .append(" writes ")
                        .append(java.util.Arrays.toString(writers.get(i).writes()));
            return sb.toString();
        }
    }

    @Provide
    Arbitrary<Schedule> schedules() {
        Arbitrary<Writer> writer = Combinators.combine(
                        Arbitraries.of(true, false)
                                .array(boolean[].class)
                                .ofSize(OBJECTS)
                                .filter(a -> a[0] || a[1] || a[2]),
                        Arbitraries.integers().between(1, 9))
                .as(Writer::new);
        return Arbitraries.integers()
                .between(2, 3)
                .flatMap(n -> writer.list().ofSize(n).flatMap(ws -> {
                    List<Integer> twice = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        twice.add(i);
                        twice.add(i);
                    }
                    return Arbitraries.shuffle(twice).map(ev -> new Schedule(ws, ev));
                }));
    }

    @Property(tries = 25)
    void schedule_outcomesAndFinalStateMatchTheModel(@ForAll("schedules") Schedule sc, @ForAll boolean history) {
        List<Storage> st = storages(history);
        Storage setup = st.get(0);
        long[] oids = setup.newOids(OBJECTS);
        Kit.commitAll(
                setup,
                Map.of(oids[0], Records.counter(0), oids[1], Records.object("init"), oids[2], Records.object("init")));

        // model: per object a version number and a value
        long[] mVersion = new long[OBJECTS];
        String[] mValue = {"0", "init", "init"};
        int n = sc.writers().size();
        long[][] readVersion = new long[n][];
        String[][] readValue = new String[n][];
        boolean[] read = new boolean[n];
        boolean[] modelCommitted = new boolean[n];
        boolean[] realCommitted = new boolean[n];
        StorageView[] views = new StorageView[n];
        long[][] readTids = new long[n][OBJECTS];
        byte[][][] readData = new byte[n][OBJECTS][];
        try {
            for (int w : sc.events()) {
                Storage s = st.get(w);
                if (!read[w]) {
                    read[w] = true;
                    readVersion[w] = mVersion.clone();
                    readValue[w] = mValue.clone();
                    views[w] = s.openView();
                    for (int o = 0; o < OBJECTS; o++) {
                        var l = views[w].load(oids[o]);
                        readTids[w][o] = l.tid();
                        readData[w][o] = l.data();
                    }
                    continue;
                }
                Writer wr = sc.writers().get(w);
                // model
                boolean conflict = false;
                for (int o = 1; o < OBJECTS; o++)
                    if (wr.writes()[o] && mVersion[o] != readVersion[w][o]) conflict = true;
                if (!conflict) {
                    modelCommitted[w] = true;
                    for (int o = 0; o < OBJECTS; o++) {
                        if (!wr.writes()[o]) continue;
                        mVersion[o]++;
                        mValue[o] = o == 0 ? Long.toString(Long.parseLong(mValue[0]) + wr.increment()) : "w" + w;
                    }
                }
                // storage
                StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
                try {
                    for (int o = 0; o < OBJECTS; o++) {
                        if (!wr.writes()[o]) continue;
                        byte[] data = o == 0
                                ? Records.counter(Records.counterValue(readData[w][0]) + wr.increment())
                                : Records.object("w" + w);
                        t.store(oids[o], readTids[w][o], data);
                    }
                    t.vote();
                    t.finish();
                    realCommitted[w] = true;
                } catch (ConflictException e) {
                    t.abort();
                }
                views[w].close();
                views[w] = null;
            }
        } finally {
            for (StorageView v : views) if (v != null) v.close();
        }
        assertThat(realCommitted).as("which writers committed").containsExactly(modelCommitted);
        assertThat(Long.toString(Records.counterValue(setup.load(oids[0]).data())))
                .isEqualTo(mValue[0]);
        for (int o = 1; o < OBJECTS; o++)
            assertThat(Records.text(setup.load(oids[o]).data())).isEqualTo(mValue[o]);
    }
}
