package org.cairndb.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.cairndb.client.btree.BTreeMap;
import org.cairndb.client.collections.Counter;
import org.cairndb.client.collections.PersistentList;
import org.cairndb.client.collections.PersistentMap;
import org.cairndb.client.collections.TimeBucketedCounter;
import org.cairndb.storage.Storage;
import org.cairndb.storage.matrix.OnStorages;
import org.cairndb.storage.matrix.StorageKind;

/**
 * Cairn's own collections under the conflict kit, on every storage of the matrix: every
 * property explores random interleavings of three connections (explicit transactions,
 * transactions through {@code run(...)}, aborts) and checks serializability, merging of
 * commutative operations, conflicts for non-mergeable ones, stale reads and the storage's
 * log replay. Each property runs once per storage; one storage of each kind serves every try
 * of the class. mem: detects conflicts and never resolves them (commutative operations reach
 * the application only as retries inside {@code run(...)}); temp: resolves them; postgres:// is
 * history-preserving, so the log-replay check also compares every committed tid; cairn:// is
 * a real server over temp: (conflicts resolved in the server) reached over a socket.
 */
@OnStorages({StorageKind.MEM, StorageKind.TEMP, StorageKind.POSTGRES, StorageKind.CAIRN_TEMP})
class ObjectLayerConflictTest {

    // ---- Counter: increments from every connection merge, none is lost ----

    static final ConflictCheck<Counter> COUNTER = ConflictCheck.of(Counter.class, Counter::new)
            .observe(Counter::get)
            .commutative("add", Arbitraries.longs().between(1, 5), Counter::add)
            .commutative("increment", Counter::increment)
            .commutative("decrement", Counter::decrement);

    @Property
    @Exploration(tries = 25, exhaustiveTries = 400)
    void counter_incrementsMerge(Storage storage, @ForAll("counterSchedules") Schedule<Counter> schedule) {
        COUNTER.verify(storage, schedule);
    }

    @Provide
    Arbitrary<Schedule<Counter>> counterSchedules() {
        return COUNTER.schedules();
    }

    /** Counter.set: see the report of issue 7 (found by this kit). */
    static final ConflictCheck<Counter> COUNTER_WITH_SET = ConflictCheck.of(Counter.class, Counter::new)
            .observe(Counter::get)
            .commutative("add", Arbitraries.longs().between(1, 5), Counter::add)
            .mergeable("set", Arbitraries.longs().between(0, 9), Counter::set);

    @Property
    @Exploration(tries = 25, exhaustiveTries = 400)
    void counter_setIsSerializable(Storage storage, @ForAll("counterWithSetSchedules") Schedule<Counter> schedule) {
        COUNTER_WITH_SET.verify(storage, schedule);
    }

    @Provide
    Arbitrary<Schedule<Counter>> counterWithSetSchedules() {
        return COUNTER_WITH_SET.schedules();
    }

    // ---- PersistentMap: key-level merges, same-key changes conflict ----

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final Class<PersistentMap<String, Integer>> MAP = (Class) PersistentMap.class;

    private static final Arbitrary<String> KEYS = Arbitraries.of("a", "b", "c", "d", "e");

    static final ConflictCheck<PersistentMap<String, Integer>> PERSISTENT_MAP = ConflictCheck.of(
                    MAP, PersistentMap<String, Integer>::new)
            .observe(m -> new TreeMap<>(m))
            .mergeable(
                    "put",
                    Arbitraries.integers().between(0, 20),
                    (m, v) -> m.put(String.valueOf((char) ('a' + v % 5)), v))
            .mergeable("bump", KEYS, (m, k) -> m.put(k, m.getOrDefault(k, 0) + 1));

    @Property
    @Exploration(tries = 25, exhaustiveTries = 400)
    void persistentMap_keyLevelMergesAreSerializable(
            Storage storage, @ForAll("mapSchedules") Schedule<PersistentMap<String, Integer>> schedule) {
        PERSISTENT_MAP.verify(storage, schedule);
    }

    @Provide
    Arbitrary<Schedule<PersistentMap<String, Integer>>> mapSchedules() {
        return PERSISTENT_MAP.schedules();
    }

    static final ConflictCheck<PersistentMap<String, Integer>> MAP_PLAIN_REMOVE = ConflictCheck.of(
                    MAP, PersistentMap<String, Integer>::new)
            .observe(m -> new TreeMap<>(m))
            .mergeable(
                    "put",
                    Arbitraries.integers().between(0, 20),
                    (m, v) -> m.put(String.valueOf((char) ('a' + v % 5)), v))
            .mergeable("remove", KEYS, PersistentMap::remove);

    @Property
    @Exploration(tries = 200, exhaustiveTries = 2000)
    void persistentMap_removeOfAbsentKeyIsSerializable(
            Storage storage, @ForAll("plainRemoveSchedules") Schedule<PersistentMap<String, Integer>> schedule) {
        MAP_PLAIN_REMOVE.verify(storage, schedule);
    }

    @Provide
    Arbitrary<Schedule<PersistentMap<String, Integer>>> plainRemoveSchedules() {
        return MAP_PLAIN_REMOVE.schedules();
    }

    // ---- PersistentList: no merge at all: every concurrent change conflicts, nothing half-applied ----

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final Class<PersistentList<Integer>> LIST = (Class) PersistentList.class;

    static final ConflictCheck<PersistentList<Integer>> PERSISTENT_LIST = ConflictCheck.of(
                    LIST, PersistentList<Integer>::new)
            .observe(l -> new ArrayList<>(l))
            .nonMergeable("append", Arbitraries.integers().between(0, 9), List::add)
            .nonMergeable("removeFirst", l -> {
                if (!l.isEmpty()) l.remove(0);
            })
            .nonMergeable("setFirst", Arbitraries.integers().between(0, 9), (l, v) -> {
                if (l.isEmpty()) l.add(v);
                else l.set(0, v);
            });

    @Property
    @Exploration(tries = 25, exhaustiveTries = 400)
    void persistentList_concurrentChangesConflict(
            Storage storage, @ForAll("listSchedules") Schedule<PersistentList<Integer>> schedule) {
        PERSISTENT_LIST.verify(storage, schedule);
    }

    @Provide
    Arbitrary<Schedule<PersistentList<Integer>>> listSchedules() {
        return PERSISTENT_LIST.schedules();
    }

    // ---- BTreeMap: bucket merges, splits (small buckets), the append design (keys beyond the last) ----

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final Class<BTreeMap<Integer, Integer>> TREE = (Class) BTreeMap.class;

    /** Buckets of 4 and inner nodes of 3 so a few puts split buckets and inner nodes; 10 keys to start with. */
    static BTreeMap<Integer, Integer> smallTree() {
        BTreeMap<Integer, Integer> t = new BTreeMap<>(4, 3);
        for (int k = 0; k < 20; k += 2) t.put(k, k);
        return t;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final Class<BTreeMap<Long, Integer>> LONG_TREE = (Class) BTreeMap.class;

    static BTreeMap<Long, Integer> smallLongTree() {
        BTreeMap<Long, Integer> t = new BTreeMap<>(4, 3);
        for (long k = 0; k < 20; k += 2) t.put(k, (int) k);
        return t;
    }

    static final ConflictCheck<BTreeMap<Integer, Integer>> BTREE = ConflictCheck.of(
                    TREE, ObjectLayerConflictTest::smallTree)
            .observe(t -> new TreeMap<>(t))
            .invariant(BTreeMap::checkInvariants)
            .mergeable("put", Arbitraries.integers().between(0, 30), (t, k) -> t.put(k, k * 10))
            .mergeable("removeFirst", t -> {
                if (!t.isEmpty()) t.remove(t.firstKey());
            })
            // any key, present or not: removing an absent key must be protected as a read of its bucket
            .mergeable("remove", Arbitraries.integers().between(0, 30), BTreeMap::remove)
            // appends: keys beyond every existing one, as timestamps or sequence numbers are
            .mergeable("append", Arbitraries.integers().between(100, 400), (t, k) -> t.put(k, -k));

    @Property
    @Exploration(tries = 25, exhaustiveTries = 400)
    void btree_bucketMergesAndSplitsAreSerializable(
            Storage storage, @ForAll("treeSchedules") Schedule<BTreeMap<Integer, Integer>> schedule) {
        BTREE.verify(storage, schedule);
    }

    @Provide
    Arbitrary<Schedule<BTreeMap<Integer, Integer>>> treeSchedules() {
        return BTREE.schedules();
    }

    /**
     * The append design under its real workload: every transaction appends timestamps (keys
     * beyond everything in its snapshot, distinct across writers) into small buckets, so
     * nearly every few appends split the rightmost bucket. Merges must stay serializable and
     * the tree's invariants hold. Appends are MERGEABLE, not COMMUTATIVE: the design promises
     * that appends MOSTLY commit without conflict; the kit shows where they do not (a
     * transaction whose append lands in a bucket another writer's commit has meanwhile split:
     * c1 append x3 filling and splitting the last bucket || c2 append x1, c2 conflicts).
     */
    static final ConflictCheck<BTreeMap<Long, Integer>> BTREE_APPENDS = ConflictCheck.of(
                    LONG_TREE, ObjectLayerConflictTest::smallLongTree)
            .observe(t -> new TreeMap<>(t))
            .invariant(BTreeMap::checkInvariants)
            .timestamped("append", OpKind.MERGEABLE, (t, time) -> t.put(1000 + time, 1));

    @Property
    @Exploration(tries = 25, exhaustiveTries = 400)
    void btree_timestampAppendsAreSerializable(
            Storage storage, @ForAll("appendSchedules") Schedule<BTreeMap<Long, Integer>> schedule) {
        BTREE_APPENDS.verify(storage, schedule);
    }

    @Provide
    Arbitrary<Schedule<BTreeMap<Long, Integer>>> appendSchedules() {
        return BTREE_APPENDS.schedules();
    }

    // ---- TimeBucketedCounter (the counting utility): counts never conflict, top lists add up ----

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final Class<TimeBucketedCounter<String>> BUCKETED = (Class) TimeBucketedCounter.class;

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** One counted event batch: key, hour after T0, how many. */
    record View(String key, int hour, int n) {
        @Override
        public String toString() {
            return key + "@h" + hour + "x" + n;
        }
    }

    static final ConflictCheck<TimeBucketedCounter<String>> BUCKETED_COUNTER = ConflictCheck.of(
                    BUCKETED, () -> new TimeBucketedCounter<String>(Duration.ofHours(1), 4))
            .observe(v -> {
                Map<String, Object> seen = new LinkedHashMap<>();
                for (String k : List.of("a", "b", "c", "d", "e")) seen.put(k, v.total(k));
                seen.put(
                        "top2(h0-h2)",
                        v.mostCounted(T0, T0.plus(Duration.ofHours(2)), 2).toString());
                return seen;
            })
            .commutative(
                    "count",
                    Combinators.combine(
                                    KEYS,
                                    Arbitraries.integers().between(0, 3),
                                    Arbitraries.integers().between(1, 3))
                            .as(View::new),
                    (v, e) -> v.count(e.key(), T0.plus(Duration.ofHours(e.hour())), e.n()));

    @Property
    @Exploration(tries = 25, exhaustiveTries = 400)
    void timeBucketedCounter_countsNeverConflict(
            Storage storage, @ForAll("bucketedSchedules") Schedule<TimeBucketedCounter<String>> schedule) {
        BUCKETED_COUNTER.verify(storage, schedule);
    }

    @Provide
    Arbitrary<Schedule<TimeBucketedCounter<String>>> bucketedSchedules() {
        return BUCKETED_COUNTER.schedules();
    }
}
