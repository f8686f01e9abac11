package org.cairndb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.cairndb.client.model.Item;
import org.cairndb.storage.ConflictException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dirty check and the debug mode: objects changed in place without {@code changed()}. */
class UnregisteredChangesTest {
    Database db;

    @AfterEach
    void close() {
        if (db != null) db.close();
    }

    private TransactionManager open(boolean dirtyCheck, UnregisteredChanges mode) {
        db = Database.builder()
                .mount("main", "temp:")
                .dirtyCheck(dirtyCheck)
                .reportUnregisteredChanges(mode)
                .open();
        return db.transactionManager();
    }

    /** Stores an item with tag "a" under root key "item" and returns it (committed, still loaded). */
    private static Item stored(Connection c, TransactionManager tm) {
        Item item = new Item("item", 1);
        item.tag("a");
        c.root().put("item", item);
        tm.commit();
        return item;
    }

    /** Reads from a fresh connection on another thread (a connection belongs to its thread). */
    private <T> T fromOtherConnection(Function<Item, T> read) {
        return CompletableFuture.supplyAsync(() -> {
                    try (Connection c2 = db.open()) {
                        T out = read.apply((Item) c2.root().get("item"));
                        db.transactionManager().abort();
                        return out;
                    }
                })
                .join();
    }

    @Test
    void withoutDirtyCheck_inPlaceChangeIsLost() {
        TransactionManager tm = open(false, UnregisteredChanges.OFF);
        try (Connection c = db.open()) {
            Item item = stored(c, tm);
            item.tags().add("b"); // no changed()
            tm.commit();
        }
        assertThat(fromOtherConnection(Item::tags)).containsExactly("a");
    }

    @Test
    void dirtyCheck_storesInPlaceChange() {
        TransactionManager tm = open(true, UnregisteredChanges.OFF);
        try (Connection c = db.open()) {
            Item item = stored(c, tm);
            item.tags().add("b"); // no changed()
            tm.commit();
            assertThat(item.persistentState()).isEqualTo(PersistentState.UP_TO_DATE);
        }
        assertThat(fromOtherConnection(Item::tags)).containsExactly("a", "b");
    }

    @Test
    void dirtyCheck_storesAnArrayWrittenInPlace() {
        TransactionManager tm = open(true, UnregisteredChanges.OFF);
        try (Connection c = db.open()) {
            Item item = stored(c, tm);
            item.extra(new int[] {1, 2});
            tm.commit();
            ((int[]) item.extra())[0] = 5; // no changed()
            tm.commit();
        }
        int[] stored = fromOtherConnection(i -> (int[]) i.extra());
        assertThat(stored).containsExactly(5, 2);
    }

    @Test
    void dirtyCheck_objectLoadedInTheTransaction_storedWithTheNewObjectItReaches() {
        TransactionManager tm = open(true, UnregisteredChanges.OFF);
        try (Connection c = db.open()) {
            stored(c, tm).extra(new ArrayList<>(List.of("x")));
            tm.commit();
        }
        try (Connection c = db.open()) { // a new connection: the item is loaded in this transaction
            tm.begin();
            Item item = (Item) c.root().get("item");
            @SuppressWarnings("unchecked")
            List<Object> extra = (List<Object>) item.extra();
            extra.add(new Item("new", 7)); // a new persistent object reached only through the in-place change
            tm.commit();
        }
        Integer reachedQty = fromOtherConnection(i -> ((Item) ((List<?>) i.extra()).get(1)).qty());
        assertThat(reachedQty).isEqualTo(7);
    }

    @Test
    void dirtyCheck_unchangedObjectsAreNotWritten_evenWhenReencodingDiffersFromTheRecord() {
        TransactionManager tm = open(true, UnregisteredChanges.OFF);
        long serial;
        try (Connection c = db.open()) {
            Item item = new Item("item", 1);
            Set<Item> children = new HashSet<>(); // identity hash order: differs in every connection
            for (int i = 0; i < 50; i++) children.add(new Item("child" + i, i));
            item.extra(children);
            c.root().put("item", item);
            tm.commit();
            serial = item.serial();
        }
        // another connection loads the item (its set iterates in another order), reads, commits
        long after = CompletableFuture.supplyAsync(() -> {
                    try (Connection c2 = db.open()) {
                        TransactionManager tm2 = db.transactionManager();
                        Item item = (Item) c2.root().get("item");
                        assertThat((Set<?>) item.extra()).hasSize(50);
                        item.tags();
                        c2.add(new Item("unrelated", 0)); // so that the commit writes something
                        tm2.commit();
                        return item.serial();
                    }
                })
                .join();
        assertThat(after).isEqualTo(serial);
    }

    @Test
    void dirtyCheck_readOnlyUseDoesNotConflictWithAConcurrentWriter() {
        TransactionManager tm = open(true, UnregisteredChanges.OFF);
        try (Connection c = db.open()) {
            Item item = stored(c, tm);
            tm.begin();
            assertThat(item.tags()).containsExactly("a");
            CompletableFuture.runAsync(() -> {
                        try (Connection c2 = db.open()) {
                            ((Item) c2.root().get("item")).tag("other");
                            db.transactionManager().commit();
                        }
                    })
                    .join();
            c.add(new Item("unrelated", 0));
            tm.commit(); // the item was only read: no conflict
        }
        assertThat(fromOtherConnection(Item::tags)).containsExactly("a", "other");
    }

    @Test
    void dirtyCheck_foundChangeGetsConflictDetectionAsUsual() {
        TransactionManager tm = open(true, UnregisteredChanges.OFF);
        try (Connection c = db.open()) {
            Item item = stored(c, tm);
            tm.begin();
            item.tags().add("mine"); // no changed()
            CompletableFuture.runAsync(() -> {
                        try (Connection c2 = db.open()) {
                            ((Item) c2.root().get("item")).tag("theirs");
                            db.transactionManager().commit();
                        }
                    })
                    .join();
            assertThatThrownBy(tm::commit).isInstanceOf(ConflictException.class);
        }
        assertThat(fromOtherConnection(Item::tags)).containsExactly("a", "theirs");
    }

    @Test
    void dirtyCheck_abortUndoesAnUnregisteredChangeInMemory() {
        TransactionManager tm = open(true, UnregisteredChanges.OFF);
        try (Connection c = db.open()) {
            Item item = stored(c, tm);
            item.tags().add("b");
            tm.abort();
            assertThat(item.tags()).containsExactly("a");
        }
    }

    @Test
    void dirtyCheck_rollbackToASavepointUndoesAnUnregisteredChangeMadeAfterIt() {
        TransactionManager tm = open(true, UnregisteredChanges.OFF);
        try (Connection c = db.open()) {
            Item item = stored(c, tm);
            tm.begin();
            item.tags().add("before-savepoint"); // unregistered: the savepoint's dirty check takes it
            Savepoint sp = tm.savepoint();
            item.qty(5);
            Item other = c.add(new Item("other", 0));
            other.tags();
            tm.commit();
            tm.begin();
            other.tags().add("before-savepoint");
            Savepoint sp2 = tm.savepoint();
            other.tags().add("after-savepoint"); // unregistered, then rolled back
            sp2.rollback();
            tm.commit();
            assertThat(sp).isNotNull();
            assertThat(other.tags()).containsExactly("before-savepoint");
        }
        assertThat(fromOtherConnection(Item::tags)).containsExactly("a", "before-savepoint");
    }

    @Test
    void debugMode_failsTheCommitNamingClassOidAndField() {
        TransactionManager tm = open(false, UnregisteredChanges.FAIL);
        try (Connection c = db.open()) {
            Item item = stored(c, tm);
            item.tags().add("b"); // the planted missing changed()
            String oid = org.cairndb.storage.Oid.describe(item.oid());
            assertThatThrownBy(tm::commit)
                    .isInstanceOf(UnregisteredChangeException.class)
                    .hasMessageContaining(Item.class.getName() + " oid " + oid)
                    .hasMessageContaining("field Item.tags")
                    .hasMessageContaining("call changed()")
                    .hasMessageNotContaining("\n");
            assertThat(item.tags()).containsExactly("a"); // the failed commit aborted: the change is undone
        }
        assertThat(fromOtherConnection(Item::tags)).containsExactly("a");
    }

    @Test
    void debugMode_namesEveryChangedField_andAReferenceToANewObject() {
        TransactionManager tm = open(false, UnregisteredChanges.FAIL);
        try (Connection c = db.open()) {
            Item item = stored(c, tm);
            item.extra(new ArrayList<>());
            Item other = c.add(new Item("other", 0));
            tm.commit();
            tm.begin();
            item.tags().add("b");
            @SuppressWarnings("unchecked")
            List<Object> extra = (List<Object>) item.extra();
            extra.add(new Item("reached", 1)); // a new object reached only through the unregistered change
            other.tags().add("x");
            assertThatThrownBy(tm::commit)
                    .isInstanceOf(UnregisteredChangeException.class)
                    .hasMessageContaining("fields Item.tags, Item.extra")
                    .hasMessageContaining("and 1 more object(s)");
        }
    }

    @Test
    void debugMode_silentForCorrectCode() {
        TransactionManager tm = open(false, UnregisteredChanges.FAIL);
        try (Connection c = db.open()) {
            Item item = stored(c, tm);
            item.tag("b");
            item.qty(3);
            Item parent = new Item("parent", 0);
            item.parent(parent);
            parent.tag("p"); // a new object: stored anyway
            tm.commit();
            tm.begin();
            assertThat(item.parent().tags()).containsExactly("p");
            tm.commit();
        }
        assertThat(fromOtherConnection(Item::tags)).containsExactly("a", "b");
    }

    @Test
    void debugMode_withDirtyCheck_storesInsteadOfFailing() {
        TransactionManager tm = open(true, UnregisteredChanges.FAIL);
        try (Connection c = db.open()) {
            Item item = stored(c, tm);
            item.tags().add("b");
            tm.commit();
        }
        assertThat(fromOtherConnection(Item::tags)).containsExactly("a", "b");
    }

    @Test
    void debugMode_log_commitsAndLosesTheChange() {
        TransactionManager tm = open(false, UnregisteredChanges.LOG);
        try (Connection c = db.open()) {
            Item item = stored(c, tm);
            item.tags().add("b");
            tm.commit();
        }
        assertThat(fromOtherConnection(Item::tags)).containsExactly("a");
    }

    @Test
    void systemProperty_setsTheDefaultMode() {
        String before = System.getProperty(UnregisteredChanges.PROPERTY);
        try {
            System.setProperty(UnregisteredChanges.PROPERTY, "log");
            assertThat(UnregisteredChanges.fromSystemProperty()).isEqualTo(UnregisteredChanges.LOG);
            System.setProperty(UnregisteredChanges.PROPERTY, "true");
            assertThat(UnregisteredChanges.fromSystemProperty()).isEqualTo(UnregisteredChanges.FAIL);
            System.setProperty(UnregisteredChanges.PROPERTY, "loud");
            assertThatThrownBy(UnregisteredChanges::fromSystemProperty).hasMessageContaining("use off, log or fail");
        } finally {
            if (before == null) System.clearProperty(UnregisteredChanges.PROPERTY);
            else System.setProperty(UnregisteredChanges.PROPERTY, before);
        }
    }
}
