package org.cairndb.storage.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cairndb.storage.Capability;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;
import org.junit.jupiter.api.Test;

/**
 * Many threads, many transactions, overlapping objects: the committed result must equal a
 * serial replay of the committed transactions in tid order. Each record written names the
 * tid its writer read; the replay checks that every committed write (and checkCurrent) was
 * based on the state current at its tid, so a lost update or a commit on a stale snapshot is
 * caught. Plus racetest's two-object invariant seen through snapshots. (ZODB's MTStorage
 * checkNThreads/checkZODBThreads and racetest.check_race_*; a random-schedule property is in
 * {@link SchedulePropertyContract}.)
 */
public interface ConcurrencyContract extends StorageContract {

    /** What a writer committed: tid → (oid → record), and the reads it asserted. */
    record Committed(long tid, Map<Long, byte[]> writes, Map<Long, Long> checked) {}

    /** Runs {@code threads} writers over {@code objects} objects on the given storages (round robin). */
    static List<Committed> runWriters(List<Storage> storages, int threads, int txnsPerThread, long[] objects) {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Threads.Task<List<Committed>>> tasks = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            int writer = w;
            Storage s = storages.get(w % storages.size());
            tasks.add(Threads.start("writer-" + w, () -> {
                Random rnd = new Random(1000 + writer);
                List<Committed> mine = new ArrayList<>();
                start.await();
                for (int n = 0; n < txnsPerThread; n++) {
                    while (true) {
                        StorageView view = s.openView();
                        StorageTransaction t = s.begin(TransactionMetadata.of("writer-" + writer, "txn " + n));
                        Map<Long, byte[]> writes = new HashMap<>();
                        Map<Long, Long> checked = new HashMap<>();
                        try (view) {
                            int k = 1 + rnd.nextInt(3);
                            for (int i = 0; i < k; i++) {
                                long oid = objects[rnd.nextInt(objects.length)];
                                if (writes.containsKey(oid)) continue;
                                long read = readTid(view, oid);
                                byte[] data = Records.object("w" + writer + "-" + n + " base=" + Tid.hex(read));
                                t.store(oid, read, data);
                                writes.put(oid, data);
                            }
                            if (rnd.nextInt(3) == 0) {
                                long oid = objects[rnd.nextInt(objects.length)];
                                if (!writes.containsKey(oid)) {
                                    long read = readTid(view, oid);
                                    t.checkCurrent(oid, read);
                                    checked.put(oid, read);
                                }
                            }
                            t.vote();
                            long tid = t.finish();
                            mine.add(new Committed(tid, writes, checked));
                            break;
                        } catch (RetryableException e) {
                            // a conflict, or another retryable failure (PostgreSQL may report a deadlock
                            // between writers creating the same new oids): no trace left; retry on a fresh snapshot
                            t.abort();
                        }
                    }
                }
                return mine;
            }));
        }
        List<Committed> all = new ArrayList<>();
        for (Threads.Task<List<Committed>> t : tasks) all.addAll(t.join());
        return all;
    }

    private static long readTid(StorageView view, long oid) {
        try {
            return view.load(oid).tid();
        } catch (PosKeyException e) {
            return Tid.ZERO;
        }
    }

    /** Replays the committed transactions in tid order and checks the storage against it. */
    static void assertSerialReplay(Storage s, List<Committed> committed, long[] objects) {
        TreeMap<Long, Committed> byTid = new TreeMap<>();
        for (Committed c : committed) {
            assertThat(byTid.put(c.tid(), c))
                    .as("tid %s returned by two commits", Tid.hex(c.tid()))
                    .isNull();
        }
        Map<Long, Long> currentTid = new HashMap<>();
        Map<Long, byte[]> currentData = new HashMap<>();
        for (Committed c : byTid.values()) {
            c.checked()
                    .forEach((oid, read) -> assertThat(currentTid.getOrDefault(oid, Tid.ZERO))
                            .as("txn %s committed a checkCurrent of oid %s on a stale read", Tid.hex(c.tid()), oid)
                            .isEqualTo(read));
            for (Map.Entry<Long, byte[]> w : c.writes().entrySet()) {
                String text = Records.text(w.getValue());
                long base = Tid.parseHex(text.substring(text.indexOf("base=") + 5));
                assertThat(currentTid.getOrDefault(w.getKey(), Tid.ZERO))
                        .as("lost update: txn %s wrote oid %s based on %s", Tid.hex(c.tid()), w.getKey(), Tid.hex(base))
                        .isEqualTo(base);
            }
            for (Map.Entry<Long, byte[]> w : c.writes().entrySet()) {
                currentTid.put(w.getKey(), c.tid());
                currentData.put(w.getKey(), w.getValue());
            }
        }
        for (long oid : objects) {
            if (!currentTid.containsKey(oid)) continue;
            Loaded l = s.load(oid);
            assertThat(l.tid()).isEqualTo(currentTid.get(oid));
            assertThat(l.data()).isEqualTo(currentData.get(oid));
        }
        if (!byTid.isEmpty()) assertThat(s.lastTid()).isGreaterThanOrEqualTo(byTid.lastKey());
        if (s.supports(Capability.HISTORY)) {
            List<TransactionRecord> iterated = Kit.transactions(s, byTid.firstKey(), byTid.lastKey());
            assertThat(iterated).extracting(TransactionRecord::tid).containsExactlyElementsOf(byTid.keySet());
            for (TransactionRecord r : iterated) {
                Map<Long, byte[]> writes = byTid.get(r.tid()).writes();
                assertThat(r.revisions()).hasSize(writes.size());
                for (Revision rev : r.revisions()) assertThat(rev.data()).isEqualTo(writes.get(rev.oid()));
            }
        }
    }

    @Test
    default void manyWriters_overlappingObjects_equalSerialReplay(Storage s) {
        long[] objects = s.newOids(6);
        List<Committed> committed = runWriters(List.of(s), 4, 60, objects);
        assertThat(committed).hasSize(4 * 60);
        assertSerialReplay(s, committed, objects);
    }

    @Test
    default void manyWriters_oneHotObject_equalSerialReplay(Storage s) {
        long[] objects = s.newOids(1);
        List<Committed> committed = runWriters(List.of(s), 3, 40, objects);
        assertSerialReplay(s, committed, objects);
    }

    /** racetest: writers increment two objects together; every snapshot must see them equal. */
    @Test
    default void twoObjectsIncrementedTogether_everySnapshotSeesThemEqual(Storage s) {
        long[] o = s.newOids(2);
        StorageTransaction init = s.begin(TransactionMetadata.EMPTY);
        init.store(o[0], Tid.ZERO, Records.object("0"));
        init.store(o[1], Tid.ZERO, Records.object("0"));
        init.vote();
        init.finish();
        AtomicBoolean done = new AtomicBoolean();
        List<Threads.Task<Integer>> writers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            writers.add(Threads.start("inc-" + w, () -> {
                int commits = 0;
                while (commits < 40) {
                    StorageView v = s.openView();
                    StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
                    try (v) {
                        Loaded a = v.load(o[0]);
                        Loaded b = v.load(o[1]);
                        int next = Integer.parseInt(Records.text(a.data())) + 1;
                        t.store(o[0], a.tid(), Records.object(Integer.toString(next)));
                        t.store(o[1], b.tid(), Records.object(Integer.toString(next)));
                        t.vote();
                        t.finish();
                        commits++;
                    } catch (RetryableException e) {
                        t.abort();
                    }
                }
                return commits;
            }));
        }
        Threads.Task<Integer> checker = Threads.start("checker", () -> {
            int checks = 0;
            try (StorageView v = s.openView()) {
                while (!done.get() || checks == 0) {
                    String a = Records.text(v.load(o[0]).data());
                    String b = Records.text(v.load(o[1]).data());
                    assertThat(a)
                            .as("snapshot %s sees the two objects differ", Tid.hex(v.tid()))
                            .isEqualTo(b);
                    v.sync();
                    checks++;
                }
            }
            return checks;
        });
        int total = 0;
        try {
            for (Threads.Task<Integer> w : writers) total += w.join();
        } finally {
            done.set(true);
        }
        checker.join();
        assertThat(Records.text(s.load(o[0]).data())).isEqualTo(Integer.toString(total));
        assertThat(Records.text(s.load(o[1]).data())).isEqualTo(Integer.toString(total));
    }
}
