package org.cairndb.client.btree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.cairndb.client.Connection;
import org.cairndb.client.CountingStorage;
import org.cairndb.client.Database;
import org.cairndb.client.Persistent;
import org.cairndb.client.TransactionManager;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * BTreeMap and BTreeSet as NavigableMap and NavigableSet: walks load only the buckets they
 * pass (counted at the storage), and the writable views' edges (the model tests cover the
 * rest against the JDK).
 */
class BTreeNavigableTest {
    static final int KEYS = 2000;
    CountingStorage counting;
    Database db;
    TransactionManager tm;

    @BeforeEach
    void open() {
        counting = new CountingStorage(Storages.open("temp:"));
        db = Database.open(counting.storage);
        tm = db.transactionManager();
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** 2000 even keys in random order into buckets of 4 and inner nodes of 4: hundreds of buckets, several levels. */
    private void storeTree() {
        try (Connection c = db.open()) {
            BTreeMap<Integer, String> tree = new BTreeMap<>(4, 4);
            List<Integer> keys = new ArrayList<>();
            for (int i = 0; i < KEYS; i++) keys.add(2 * i);
            java.util.Collections.shuffle(keys, new Random(16));
            for (int k : keys) tree.put(k, "v" + k);
            c.root().put("tree", tree);
            tm.commit();
        }
    }

    /**
     * Runs {@code walk} on the stored tree in a fresh connection and checks that the records it
     * loaded are the tree, inner nodes above buckets holding keys in [lo, hi], and exactly those buckets.
     */
    private void assertLoadsOnlyRange(int lo, int hi, Consumer<BTreeMap<Integer, String>> walk) {
        storeTree();
        Set<Long> loaded;
        long treeOid;
        try (Connection c = db.open()) {
            @SuppressWarnings("unchecked")
            BTreeMap<Integer, String> tree =
                    (BTreeMap<Integer, String>) c.root().get("tree");
            treeOid = tree.oid();
            counting.reset();
            walk.accept(tree);
            loaded = counting.loadedOids();
            tm.abort();
        }
        try (Connection c = db.open()) {
            @SuppressWarnings("unchecked")
            BTreeMap<Integer, String> tree =
                    (BTreeMap<Integer, String>) c.root().get("tree");
            Set<Long> bucketsInRange = new HashSet<>(), allowed = new HashSet<>(Set.of(treeOid));
            int[] buckets = {0};
            classify(tree.rootNode(), lo, hi, bucketsInRange, allowed, buckets);
            assertThat(buckets[0]).as("buckets in the tree").isGreaterThan(300);
            assertThat(loaded).as("loaded records").containsAll(bucketsInRange).isSubsetOf(allowed);
            tm.abort();
        }
    }

    /** Returns true when the subtree holds a key in [lo, hi]; collects those buckets and their ancestors. */
    private static boolean classify(
            Persistent n, int lo, int hi, Set<Long> bucketsInRange, Set<Long> allowed, int[] buckets) {
        boolean any = false;
        if (n instanceof Bucket b) {
            buckets[0]++;
            for (int i = 0; i < b.size(); i++) {
                int k = (Integer) b.keyAt(i);
                if (k >= lo && k <= hi) any = true;
            }
            if (any) bucketsInRange.add(b.oid());
        } else {
            InnerNode in = (InnerNode) n;
            for (int i = 0; i < in.childCount(); i++)
                any |= classify(in.child(i), lo, hi, bucketsInRange, allowed, buckets);
        }
        if (any) allowed.add(n.oid());
        return any;
    }

    @Test
    void subMapWalk_loadsOnlyTheBucketsOfTheRange() {
        assertLoadsOnlyRange(
                1000,
                1038,
                t -> assertThat(t.subMap(1000, true, 1040, false).keySet()).hasSize(20));
    }

    @Test
    void descendingSubMapWalk_loadsOnlyTheBucketsOfTheRange() {
        assertLoadsOnlyRange(
                2002,
                2040,
                t -> assertThat(t.descendingMap()
                                .subMap(2040, true, 2000, false)
                                .values())
                        .hasSize(20));
    }

    @Test
    void descendingWalkOfRange_loadsOnlyTheBucketsOfTheRange() {
        assertLoadsOnlyRange(3001, 3098, t -> {
            List<Integer> keys =
                    new ArrayList<>(t.headMap(3098, true).tailMap(3000, false).descendingKeySet());
            assertThat(keys).hasSize(49).first().isEqualTo(3098);
        });
    }

    @Test
    void ceilingAndFloor_loadOnlyTheBucketsTheyNeed() {
        assertLoadsOnlyRange(501, 502, t -> {
            assertThat(t.ceilingKey(501)).isEqualTo(502);
            assertThat(t.floorKey(502)).isEqualTo(502);
        });
    }

    @Test
    void firstAndLast_loadOnlyTheEdges() {
        storeTree();
        try (Connection c = db.open()) {
            BTreeMap<?, ?> tree = (BTreeMap<?, ?>) c.root().get("tree");
            counting.reset();
            assertThat(tree.firstKey()).isEqualTo(0);
            assertThat(tree.lastEntry().getKey()).isEqualTo(2 * KEYS - 2);
            assertThat(counting.loads())
                    .as("the tree, two paths of inner nodes and two buckets")
                    .isLessThan(20);
            tm.abort();
        }
    }

    @Test
    void views_refuseKeysOutOfRange_asTheJdkDoes() {
        try (Connection c = db.open()) {
            BTreeMap<Integer, String> tree = new BTreeMap<>(4, 4);
            c.root().put("tree", tree);
            for (int i = 0; i < 20; i++) tree.put(i, "v" + i);
            NavigableMap<Integer, String> sub = tree.subMap(5, true, 10, false);
            assertThatThrownBy(() -> sub.put(10, "x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[5, 10)");
            assertThatThrownBy(() -> sub.subMap(4, 8)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> sub.descendingMap().headMap(11)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> tree.subMap(8, 5)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> tree.ceilingKey(null)).isInstanceOf(NullPointerException.class);
            assertThat(sub.put(7, "seven")).isEqualTo("v7");
            assertThat(tree.get(7)).isEqualTo("seven");
            assertThat(sub.remove(12)).isNull();
            assertThat(tree).containsKey(12);
            assertThat(sub.descendingMap().firstKey()).isEqualTo(9);
            assertThat(sub.descendingMap().comparator().compare(1, 2)).isPositive();
            sub.clear();
            assertThat(tree.keySet()).containsExactly(0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
            assertThatThrownBy(() -> tree.keySet().add(3)).isInstanceOf(UnsupportedOperationException.class);
            tree.checkInvariants();
            tm.commit();
        }
    }

    @Test
    void iterators_removeAndSetValueWriteThrough_andOutsideChangesAreDetected() {
        long oid;
        try (Connection c = db.open()) {
            BTreeMap<Integer, String> tree = new BTreeMap<>(2, 3);
            c.root().put("tree", tree);
            for (int i = 0; i < 50; i++) tree.put(i, "v" + i);
            for (Iterator<Map.Entry<Integer, String>> it =
                            tree.descendingMap().entrySet().iterator();
                    it.hasNext(); ) {
                Map.Entry<Integer, String> e = it.next();
                if (e.getKey() % 2 == 1) it.remove();
                else e.setValue("even" + e.getKey());
            }
            tree.checkInvariants();
            tm.commit();
            oid = tree.oid();
            Iterator<Integer> keys = tree.keySet().iterator();
            keys.next();
            tree.put(1000, "outside");
            assertThatThrownBy(keys::next)
                    .isInstanceOf(ConcurrentModificationException.class)
                    .hasMessageContaining("changed while iterated");
            tm.abort();
        }
        try (Connection c = db.open()) {
            BTreeMap<Integer, String> tree = c.get(oid, BTreeMap.class);
            assertThat(tree).hasSize(25);
            assertThat(tree.get(48)).isEqualTo("even48");
            assertThat(tree.firstEntry().getValue()).isEqualTo("even0");
            assertThatThrownBy(() -> tree.firstEntry().setValue("no"))
                    .isInstanceOf(UnsupportedOperationException.class);
            tm.abort();
        }
    }

    @Test
    void emptyTree_firstKeyThrows_firstEntryIsNull() {
        try (Connection c = db.open()) {
            BTreeMap<Integer, String> tree = new BTreeMap<>();
            BTreeSet<Integer> set = new BTreeSet<>();
            assertThatThrownBy(tree::firstKey).isInstanceOf(NoSuchElementException.class);
            assertThatThrownBy(tree::lastKey).isInstanceOf(NoSuchElementException.class);
            assertThatThrownBy(set::first).isInstanceOf(NoSuchElementException.class);
            assertThat(tree.firstEntry()).isNull();
            assertThat(tree.pollLastEntry()).isNull();
            assertThat(set.pollFirst()).isNull();
            assertThat(tree).isEqualTo(Map.of());
            assertThat(set).isEqualTo(Set.of()).hasToString("[]");
            tm.abort();
        }
    }

    @Test
    void setViews_addWithinRange_refuseOutside() {
        try (Connection c = db.open()) {
            BTreeSet<String> set = new BTreeSet<>(3, 3);
            c.root().put("set", set);
            set.addAll(List.of("apple", "fig", "kiwi", "pear"));
            java.util.NavigableSet<String> fromF = set.tailSet("f", true);
            assertThat(fromF.add("grape")).isTrue();
            assertThatThrownBy(() -> fromF.add("banana")).isInstanceOf(IllegalArgumentException.class);
            assertThat(set.descendingSet()).containsExactly("pear", "kiwi", "grape", "fig", "apple");
            assertThat(set.headSet("kiwi", false).descendingSet().pollFirst()).isEqualTo("grape");
            assertThat(set).containsExactly("apple", "fig", "kiwi", "pear");
            tm.commit();
        }
    }
}
