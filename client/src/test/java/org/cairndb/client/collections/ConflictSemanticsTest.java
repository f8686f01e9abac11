package org.cairndb.client.collections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.TransactionManager;
import org.cairndb.client.btree.BTreeMap;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.ReadConflictException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which concurrent changes of Counter and PersistentMap merge and which conflict, on a
 * storage that merges at vote (temp:) and on one where the connection merges (mem:).
 */
class ConflictSemanticsTest {

    /** Commits {@code mine} (already applied in this thread's transaction) after another connection committed {@code theirs}. */
    private static <T> void concurrently(Database db, String name, Consumer<T> theirs) {
        TransactionManager tm = db.transactionManager();
        CompletableFuture.runAsync(() -> {
                    try (Connection c2 = db.open()) {
                        @SuppressWarnings("unchecked")
                        T obj = (T) c2.root().get(name);
                        theirs.accept(obj);
                        tm.commit();
                    }
                })
                .join();
    }

    @ParameterizedTest
    @ValueSource(strings = {"temp:", "mem:"})
    void counter_concurrentSets_conflict(String uri) throws Exception {
        try (Database db = Database.open(uri);
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            Counter counter = c.add(new Counter());
            c.root().put("n", counter);
            tm.commit();
            counter.set(0);
            counter.add(1);
            concurrently(db, "n", (Counter other) -> other.set(1));
            assertThatThrownBy(tm::commit).isInstanceOf(ConflictException.class);
            tm.begin();
            assertThat(counter.get()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"temp:", "mem:"})
    void counter_addOverConcurrentSet_conflicts(String uri) throws Exception {
        try (Database db = Database.open(uri);
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            Counter counter = c.add(new Counter(7));
            c.root().put("n", counter);
            tm.commit();
            counter.add(2);
            concurrently(db, "n", (Counter other) -> other.set(0));
            assertThatThrownBy(tm::commit).isInstanceOf(ConflictException.class);
        }
    }

    @Test
    void counter_resolve_addsMergeSetAloneWins() {
        Counter ancestor = new Counter(10);
        Counter committed = new Counter(10);
        committed.add(3);
        Counter mine = new Counter(10);
        mine.add(-1);
        assertThat(mine.resolve(ancestor, committed, mine).get()).isEqualTo(12);

        Counter unchanged = new Counter(10);
        Counter setter = new Counter(10);
        setter.set(4);
        assertThat(setter.resolve(new Counter(10), unchanged, setter).get()).isEqualTo(4);
        // set(10) leaves the value as it was but still conflicts with a concurrent add
        Counter sameValueSet = new Counter(10);
        sameValueSet.set(10);
        Counter adder = new Counter(10);
        adder.add(1);
        assertThat(sameValueSet.resolve(new Counter(10), adder, sameValueSet)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"temp:", "mem:"})
    void persistentMap_putsOfDifferentKeys_merge(String uri) throws Exception {
        try (Database db = Database.open(uri);
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            PersistentMap<String, Integer> m = c.add(new PersistentMap<>());
            c.root().put("m", m);
            tm.commit();
            m.put("a", 1);
            concurrently(db, "m", (PersistentMap<String, Integer> other) -> other.put("b", 2));
            tm.commit();
            tm.begin();
            assertThat(m).containsEntry("a", 1).containsEntry("b", 2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"temp:", "mem:"})
    void persistentMap_removeOfAbsentKeyThenConcurrentPutOfIt_conflicts(String uri) throws Exception {
        try (Database db = Database.open(uri);
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            PersistentMap<String, Integer> m = c.add(new PersistentMap<>());
            c.root().put("m", m);
            tm.commit();
            m.put("a", 0);
            assertThat(m.remove("e")).isNull();
            concurrently(db, "m", (PersistentMap<String, Integer> other) -> other.put("e", 5));
            assertThatThrownBy(tm::commit).isInstanceOf(ConflictException.class);
            tm.begin();
            assertThat(m).containsOnlyKeys("e");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"temp:", "mem:"})
    void persistentMap_removeOfAbsentKeyOnly_conflictsWithConcurrentPutOfIt(String uri) throws Exception {
        try (Database db = Database.open(uri);
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            PersistentMap<String, Integer> m = c.add(new PersistentMap<>());
            c.root().put("m", m);
            tm.commit();
            m.remove("e");
            concurrently(db, "m", (PersistentMap<String, Integer> other) -> other.put("e", 5));
            assertThatThrownBy(tm::commit).isInstanceOf(ReadConflictException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"temp:", "mem:"})
    void persistentMap_clearOverConcurrentPut_conflicts(String uri) throws Exception {
        try (Database db = Database.open(uri);
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            PersistentMap<String, Integer> m = c.add(new PersistentMap<>());
            m.put("a", 1);
            c.root().put("m", m);
            tm.commit();
            m.clear();
            concurrently(db, "m", (PersistentMap<String, Integer> other) -> other.put("b", 2));
            assertThatThrownBy(tm::commit).isInstanceOf(ConflictException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"temp:", "mem:"})
    void btreeMap_removeOfAbsentKeyThenConcurrentPutOfIt_conflicts(String uri) throws Exception {
        try (Database db = Database.open(uri);
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            BTreeMap<Integer, Integer> t = c.add(new BTreeMap<>());
            c.root().put("t", t);
            tm.commit();
            t.put(1, 1);
            assertThat(t.remove(2)).isNull();
            concurrently(db, "t", (BTreeMap<Integer, Integer> other) -> other.put(2, 2));
            assertThatThrownBy(tm::commit).isInstanceOf(ConflictException.class);
            tm.begin();
            assertThat(t).containsOnlyKeys(2);
        }
    }

    /** put(e, 19) over a snapshot holding e=19 leaves the state as it was; it must still win over (or conflict with) a concurrent put(e, 4). */
    @ParameterizedTest
    @ValueSource(strings = {"temp:", "mem:"})
    void persistentMap_putOfUnchangedValueOverConcurrentChangeOfIt_conflicts(String uri) throws Exception {
        try (Database db = Database.open(uri);
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            PersistentMap<String, Integer> m = c.add(new PersistentMap<>());
            m.put("e", 19);
            c.root().put("m", m);
            tm.commit();
            m.put("a", 0);
            m.put("e", 19);
            concurrently(db, "m", (PersistentMap<String, Integer> other) -> other.put("e", 4));
            assertThatThrownBy(tm::commit).isInstanceOf(ConflictException.class);
        }
    }

    /** Found by the kit: c3 put(e, 4) then remove(e) leaves e absent as in its snapshot; a concurrent put(e, 4) must not survive c3's commit. */
    @ParameterizedTest
    @ValueSource(strings = {"temp:", "mem:"})
    void persistentMap_putUndoneByRemoveOverConcurrentPutOfIt_conflicts(String uri) throws Exception {
        try (Database db = Database.open(uri);
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            PersistentMap<String, Integer> m = c.add(new PersistentMap<>());
            c.root().put("m", m);
            tm.commit();
            m.put("a", 0);
            m.put("e", 4);
            m.remove("e");
            concurrently(db, "m", (PersistentMap<String, Integer> other) -> other.put("e", 4));
            assertThatThrownBy(tm::commit).isInstanceOf(ConflictException.class);
            tm.begin();
            assertThat(m).containsOnlyKeys("e");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"temp:", "mem:"})
    void btreeMap_putOfUnchangedValueOverConcurrentRemoveOfIt_conflicts(String uri) throws Exception {
        try (Database db = Database.open(uri);
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            BTreeMap<Integer, Integer> t = c.add(new BTreeMap<>());
            t.put(1, 1000);
            c.root().put("t", t);
            tm.commit();
            t.put(2, 2);
            t.put(1, 1000);
            concurrently(db, "t", (BTreeMap<Integer, Integer> other) -> other.remove(1));
            assertThatThrownBy(tm::commit).isInstanceOf(ConflictException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"temp:", "mem:"})
    void btreeMap_putUndoneByRemoveOverConcurrentPutOfIt_conflicts(String uri) throws Exception {
        try (Database db = Database.open(uri);
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            BTreeMap<Integer, Integer> t = c.add(new BTreeMap<>());
            c.root().put("t", t);
            tm.commit();
            t.put(1, 10);
            t.put(2, 20);
            t.remove(2);
            concurrently(db, "t", (BTreeMap<Integer, Integer> other) -> other.put(2, 20));
            assertThatThrownBy(tm::commit).isInstanceOf(ConflictException.class);
            tm.begin();
            assertThat(t).containsOnlyKeys(2);
        }
    }

    /** readCurrent of an object the transaction also writes: a merge would break the promise, so it conflicts. */
    @ParameterizedTest
    @ValueSource(strings = {"temp:", "mem:"})
    void readCurrent_ofObjectAlsoWritten_isNotMerged(String uri) throws Exception {
        try (Database db = Database.open(uri);
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            PersistentMap<String, Integer> m = c.add(new PersistentMap<>());
            c.root().put("m", m);
            tm.commit();
            c.readCurrent(m);
            if (!m.containsKey("b")) m.put("a", 1);
            concurrently(db, "m", (PersistentMap<String, Integer> other) -> other.put("b", 2));
            assertThatThrownBy(tm::commit).isInstanceOf(ConflictException.class);
            tm.begin();
            assertThat(m).containsOnlyKeys("b");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"temp:", "mem:"})
    void persistentMap_changesThroughViews_mergeAndConflictAsPutAndRemove(String uri) throws Exception {
        try (Database db = Database.open(uri);
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            PersistentMap<String, Integer> map = new PersistentMap<>();
            map.put("a", 1);
            map.put("b", 2);
            map.put("c", 3);
            c.root().put("m", map);
            tm.commit();
            // different keys: a removal through an iterator and a setValue merge with a concurrent put
            for (var it = map.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (e.getKey().equals("a")) it.remove();
                if (e.getKey().equals("b")) e.setValue(20);
            }
            concurrently(db, "m", (PersistentMap<String, Integer> other) -> other.put("c", 30));
            tm.commit();
            tm.begin();
            assertThat(map).isEqualTo(java.util.Map.of("b", 20, "c", 30));
            // the same key: a removal through the key set conflicts with a concurrent put of it
            map.keySet().remove("b");
            concurrently(db, "m", (PersistentMap<String, Integer> other) -> other.put("b", 21));
            assertThatThrownBy(tm::commit).isInstanceOf(ConflictException.class);
        }
    }
}
