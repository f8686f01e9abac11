package org.cairndb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import org.cairndb.client.collections.PersistentMap;
import org.cairndb.client.model.Item;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectionTest {
    Database db;
    TransactionManager tm;

    @BeforeEach
    void open() {
        db = Database.open("temp:");
        tm = db.transactionManager();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void commit_objectsVisibleToOtherConnection() {
        try (Connection c1 = db.open()) {
            tm.begin();
            Item a = new Item("a", 1);
            Item b = new Item("b", 2);
            b.parent(a);
            b.tag("x");
            c1.root().put("b", b);
            tm.commit();
            assertThat(a.oid()).isPositive();
            assertThat(b.persistentState()).isEqualTo(PersistentState.UP_TO_DATE);
        }
        CompletableFuture.runAsync(() -> {
                    try (Connection c2 = db.open()) {
                        Item b = (Item) c2.root().get("b");
                        assertThat(b.name()).isEqualTo("b");
                        assertThat(b.tags()).containsExactly("x");
                        Item a = b.parent();
                        assertThat(a.persistentState()).isEqualTo(PersistentState.GHOST);
                        assertThat(a.name()).isEqualTo("a");
                        assertThat(a.kind()).isEqualTo(Item.Kind.PLAIN);
                        assertThat((Object) c2.get(a.oid())).isSameAs(a);
                        db.transactionManager().abort();
                    }
                })
                .join();
    }

    @Test
    void abort_restoresCommittedState() {
        try (Connection c = db.open()) {
            Item a = c.add(new Item("a", 1));
            tm.commit();
            a.qty(5);
            Item fresh = new Item("new", 0);
            a.parent(fresh);
            tm.abort();
            assertThat(a.qty()).isEqualTo(1);
            assertThat(a.parent()).isNull();
            assertThat(fresh.persistentState()).isEqualTo(PersistentState.TRANSIENT);
        }
    }

    @Test
    void invalidation_otherConnectionSeesChangeAtNextTransaction() throws Exception {
        try (Connection c = db.open()) {
            Item a = c.add(new Item("a", 1));
            c.root().put("a", a);
            tm.commit();
            CompletableFuture.runAsync(() -> {
                        try (Connection c2 = db.open()) {
                            ((Item) c2.root().get("a")).qty(42);
                            db.transactionManager().commit();
                        }
                    })
                    .join();
            assertThat(a.qty()).isEqualTo(1); // same snapshot until the transaction ends
            tm.begin();
            assertThat(a.qty()).isEqualTo(42);
        }
    }

    @Test
    void savepoint_rollbackRestoresStateAtSavepoint() {
        try (Connection c = db.open()) {
            Item a = c.add(new Item("a", 1));
            tm.commit();
            a.qty(2);
            Savepoint sp = tm.savepoint();
            a.qty(3);
            Item later = c.add(new Item("later", 0));
            sp.rollback();
            assertThat(a.qty()).isEqualTo(2);
            assertThat(later.persistentState()).isEqualTo(PersistentState.TRANSIENT);
            tm.commit();
            tm.begin();
            assertThat(a.qty()).isEqualTo(2);
        }
    }

    @Test
    void root_isPersistentMap() {
        try (Connection c = db.open()) {
            PersistentMap<String, Object> root = c.root();
            assertThat(root.oid()).isZero();
            assertThat(root).isEmpty();
        }
    }

    @Test
    void close_withUncommittedChanges_refused() {
        Connection c = db.open();
        c.add(new Item("a", 1));
        assertThatThrownBy(c::close)
                .isInstanceOf(ConnectionMisuseException.class)
                .hasMessageContaining("uncommitted");
        tm.abort();
        c.close();
    }
}
