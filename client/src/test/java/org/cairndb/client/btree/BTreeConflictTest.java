package org.cairndb.client.btree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.TransactionManager;
import org.cairndb.storage.ConflictException;
import org.junit.jupiter.api.Test;

class BTreeConflictTest {

    /** Fills the tree so that its last bucket is full, commits, and returns the tree. */
    private static BTreeMap<Integer, String> fullLastBucket(
            Connection c, TransactionManager tm, BTreeMap<Integer, String> tree) {
        for (int i = 0; i < 8; i++) tree.put(i, "v" + i);
        c.root().put("t", tree);
        tm.commit();
        return tree;
    }

    private static void appendFromOtherThread(Database db, int key) {
        CompletableFuture.runAsync(() -> {
                    try (Connection c2 = db.open()) {
                        @SuppressWarnings("unchecked")
                        BTreeMap<Integer, String> t =
                                (BTreeMap<Integer, String>) c2.root().get("t");
                        t.put(key, "other");
                        db.transactionManager().commit();
                    }
                })
                .join();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"temp:", "mem:"})
    void appendSplit_concurrentAppendersBothCommit(String uri) {
        try (Database db = Database.open(uri);
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            BTreeMap<Integer, String> tree = fullLastBucket(c, tm, new BTreeMap<>(8, 8));
            tree.put(100, "mine"); // splits the full last bucket: links its spare
            appendFromOtherThread(db, 200); // does the very same split concurrently
            tm.commit(); // merged in the storage: no conflict
            tm.begin();
            tree.checkInvariants();
            assertThat(tree.keySet()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 100, 200);
            assertThat(tree.size()).isEqualTo(10);
        }
    }

    @Test
    void plainSplits_concurrentAppendersConflict() {
        try (Database db = Database.open("temp:");
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            BTreeMap<Integer, String> tree = fullLastBucket(c, tm, BTreeMap.withPlainSplits(8, 8));
            tree.put(100, "mine");
            appendFromOtherThread(db, 200);
            assertThatThrownBy(tm::commit).isInstanceOf(ConflictException.class);
        }
    }

    @Test
    void bucket_sameKeyChangedConcurrently_conflicts() {
        try (Database db = Database.open("temp:");
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            BTreeMap<Integer, String> tree = fullLastBucket(c, tm, new BTreeMap<>(8, 8));
            tree.put(3, "mine");
            CompletableFuture.runAsync(() -> {
                        try (Connection c2 = db.open()) {
                            @SuppressWarnings("unchecked")
                            BTreeMap<Integer, String> t =
                                    (BTreeMap<Integer, String>) c2.root().get("t");
                            t.put(3, "theirs");
                            tm.commit();
                        }
                    })
                    .join();
            assertThatThrownBy(tm::commit).isInstanceOf(ConflictException.class);
        }
    }

    @Test
    void bucket_differentKeysChangedConcurrently_merge() {
        try (Database db = Database.open("temp:");
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            BTreeMap<Integer, String> tree = fullLastBucket(c, tm, new BTreeMap<>(8, 8));
            tree.put(3, "mine");
            tree.remove(5);
            CompletableFuture.runAsync(() -> {
                        try (Connection c2 = db.open()) {
                            @SuppressWarnings("unchecked")
                            BTreeMap<Integer, String> t =
                                    (BTreeMap<Integer, String>) c2.root().get("t");
                            t.put(4, "theirs");
                            tm.commit();
                        }
                    })
                    .join();
            tm.commit();
            tm.begin();
            tree.checkInvariants();
            assertThat(tree.get(3)).isEqualTo("mine");
            assertThat(tree.get(4)).isEqualTo("theirs");
            assertThat(tree.containsKey(5)).isFalse();
            assertThat(tree.size()).isEqualTo(7);
        }
    }

    @Test
    void btreeSet_addRangeRemove() {
        try (Database db = Database.open("temp:");
                Connection c = db.open()) {
            BTreeSet<String> set = new BTreeSet<>();
            for (String s : new String[] {"pear", "apple", "fig", "kiwi", "date", "lime"}) set.add(s);
            c.root().put("s", set);
            db.transactionManager().commit();
            c.cacheMinimize();
            assertThat(set.contains("fig")).isTrue();
            assertThat(set.range("d", "l")).containsExactly("date", "fig", "kiwi");
            assertThat(set.remove("fig")).isTrue();
            assertThat(set.size()).isEqualTo(5);
            assertThat(set.first()).isEqualTo("apple");
            assertThat(set.last()).isEqualTo("pear");
            set.checkInvariants();
            db.transactionManager().commit();
        }
    }
}
