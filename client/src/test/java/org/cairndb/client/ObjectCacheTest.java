package org.cairndb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.cairndb.client.collections.PersistentMap;
import org.cairndb.client.model.Item;
import org.junit.jupiter.api.Test;

class ObjectCacheTest {

    @Test
    void cache_boundedByCount_leastRecentlyUsedBecomeGhosts() {
        try (Database db = Database.builder()
                        .mount("main", "temp:")
                        .cacheSize(10, Long.MAX_VALUE)
                        .open();
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            List<Item> items = new ArrayList<>();
            for (int i = 0; i < 50; i++) items.add(c.add(new Item("i" + i, i)));
            c.root().put("items", new ArrayList<>(items));
            tm.commit();
            tm.begin();
            assertThat(c.cacheStats().loaded()).isLessThanOrEqualTo(10);
            long ghosts = items.stream()
                    .filter(i -> i.persistentState() == PersistentState.GHOST)
                    .count();
            assertThat(ghosts).isGreaterThanOrEqualTo(40);
            for (Item i : items) assertThat(i.name()).isEqualTo("i" + i.qty()); // ghosts load again
            assertThat(c.cacheStats().loaded()).isGreaterThan(10); // within a transaction the cache may grow
            tm.begin();
            assertThat(c.cacheStats().loaded()).isLessThanOrEqualTo(10);
        }
    }

    @Test
    void cache_boundedByBytes() {
        try (Database db = Database.builder()
                        .mount("main", "temp:")
                        .cacheSize(100_000, 20_000)
                        .open();
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            List<Item> items = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Item it = c.add(new Item("i" + i, i));
                it.extra(new byte[2000]);
                items.add(it);
            }
            tm.commit();
            tm.begin();
            assertThat(c.cacheStats().approximateBytes()).isLessThanOrEqualTo(20_000);
            assertThat(items.stream()
                            .filter(i -> i.persistentState() == PersistentState.GHOST)
                            .count())
                    .isGreaterThan(20);
            assertThat(((byte[]) items.get(0).extra())).hasSize(2000);
        }
    }

    @Test
    void resolution_persistentReferencesCompareByOid() {
        try (Database db = Database.open("temp:");
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            PersistentMap<String, Item> map = new PersistentMap<>();
            Item shared = new Item("shared", 1);
            map.put("shared", shared);
            c.root().put("m", map);
            tm.commit();
            map.put("mine", new Item("mine", 2));
            CompletableFuture.runAsync(() -> {
                        try (Connection c2 = db.open()) {
                            @SuppressWarnings("unchecked")
                            PersistentMap<String, Item> m2 =
                                    (PersistentMap<String, Item>) c2.root().get("m");
                            m2.put("theirs", m2.get("shared")); // a second reference to the same object
                            tm.commit();
                        }
                    })
                    .join();
            tm.commit(); // both states hold a reference to 'shared': they compare by oid and merge
            tm.begin();
            assertThat(map.keySet()).containsExactlyInAnyOrder("shared", "mine", "theirs");
            assertThat(map.get("theirs")).isSameAs(map.get("shared")).isSameAs(shared);
        }
    }
}
