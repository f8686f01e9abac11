package org.cairndb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.cairndb.client.collections.PersistentList;
import org.cairndb.client.collections.PersistentMap;
import org.cairndb.client.model.Item;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.PosKeyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** conn.get(oid, Type.class) and typed roots, on a real (temp:) storage. */
class TypedApiTest {
    /** An application's top object. */
    public static class Library extends Persistent {
        private final PersistentList<Item> items = new PersistentList<>();
        private String madeBy;

        public Library() {}

        Library(String madeBy) {
            this.madeBy = madeBy;
        }

        public PersistentList<Item> items() {
            activate();
            return items;
        }

        public String madeBy() {
            activate();
            return madeBy;
        }
    }

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
    void get_withClass_returnsTheObjectTyped() {
        long oid;
        try (Connection c = db.open()) {
            oid = c.add(new Item("a", 1)).oid();
            tm.commit();
        }
        try (Connection c = db.open()) {
            Item a = c.get(oid, Item.class);
            assertThat(a.name()).isEqualTo("a");
            Persistent asBase = c.get(oid, Persistent.class);
            assertThat(asBase).isSameAs(a);
            tm.abort();
        }
    }

    @Test
    void get_withWrongClass_namesOidExpectedAndActualClass() {
        try (Connection c = db.open()) {
            long oid = c.add(new Item("a", 1)).oid();
            tm.commit();
            c.cacheMinimize(); // a ghost: the check must not depend on the object being loaded
            assertThatThrownBy(() -> c.get(oid, Library.class))
                    .isInstanceOf(ClassCastException.class)
                    .hasMessageContaining("oid " + org.cairndb.storage.Oid.describe(oid))
                    .hasMessageContaining(Item.class.getName())
                    .hasMessageContaining(Library.class.getName())
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            assertThatThrownBy(() -> c.get(Long.MAX_VALUE / 2, Item.class)).isInstanceOf(PosKeyException.class);
            tm.abort();
        }
    }

    @Test
    void get_withClassAndMount_readsThatStorage() {
        try (Database two = Database.builder()
                        .mount("main", "temp:")
                        .mount("other", "temp:")
                        .open();
                Connection c = two.open()) {
            TransactionManager tm2 = two.transactionManager();
            long oid = c.add(new Item("elsewhere", 3), "other").oid();
            tm2.commit();
            c.cacheMinimize();
            assertThat(c.get(oid, Item.class, "other").name()).isEqualTo("elsewhere");
            assertThatThrownBy(() -> c.get(oid, Library.class, "other"))
                    .isInstanceOf(ClassCastException.class)
                    .hasMessageContaining("in storage 'other'");
            assertThatThrownBy(() -> c.get(oid, Item.class, "nowhere"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("nowhere");
            tm2.abort();
        }
    }

    @Test
    void get_oldUntypedApiStillWorks() {
        try (Connection c = db.open()) {
            long oid = c.add(new Item("a", 1)).oid();
            tm.commit();
            Item a = c.get(oid);
            assertThat(a.qty()).isEqualTo(1);
            PersistentMap<String, Object> root = c.root();
            assertThat(root).isEmpty();
            tm.abort();
        }
    }

    @Test
    void root_createdOnFirstUse_thenFoundAfterCommit() {
        try (Connection c = db.open()) {
            Library lib = c.root(Library.class, () -> new Library("first"));
            assertThat(lib.persistentState()).isEqualTo(PersistentState.TRANSIENT);
            assertThat(c.root(Library.class, () -> new Library("second"))).isSameAs(lib); // same transaction
            lib.items().add(new Item("dune", 1));
            tm.commit();
            assertThat(lib.oid()).isPositive();
            assertThat(c.root().get(Library.class.getName())).isSameAs(lib);
        }
        try (Connection c = db.open()) {
            Library lib = c.root(Library.class, () -> new Library("never"));
            assertThat(lib.madeBy()).isEqualTo("first");
            assertThat(lib.items()).extracting(Item::name).containsExactly("dune");
            tm.abort();
        }
    }

    @Test
    void root_abortedCreation_isCreatedAgainNextTime() {
        try (Connection c = db.open()) {
            c.root(Library.class, () -> new Library("aborted"));
            tm.abort();
            assertThat(c.root(Library.class, () -> new Library("kept")).madeBy())
                    .isEqualTo("kept");
            tm.commit();
        }
    }

    @Test
    void root_namedAndWrongClass() {
        try (Connection c = db.open()) {
            Library a = c.root("a", Library.class, Library::new);
            Library b = c.root("b", Library.class, Library::new);
            assertThat(a).isNotSameAs(b);
            c.root().put("item", new Item("x", 0));
            tm.commit();
            assertThatThrownBy(() -> c.root("item", Library.class, Library::new))
                    .isInstanceOf(ClassCastException.class)
                    .hasMessageContaining("root 'item'")
                    .hasMessageContaining(Item.class.getName())
                    .hasMessageContaining(Library.class.getName());
            assertThatThrownBy(() -> c.root("none", Library.class, () -> null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("root 'none'");
            tm.abort();
        }
    }

    /**
     * Two transactions create the root concurrently: both read it absent, both put it. The
     * first to commit wins; the other's commit conflicts on the root map's key, and run()
     * retries it on a fresh snapshot, where it finds the winner's object.
     */
    @ParameterizedTest
    @ValueSource(strings = {"temp:", "mem:"}) // merged at vote in the storage; merged by the connection
    void root_createdConcurrently_oneWinsTheOtherRetriesAndFindsIt(String uri) throws Exception {
        db.close();
        db = Database.open(uri);
        tm = db.transactionManager();
        CountDownLatch aCreated = new CountDownLatch(1),
                bCreated = new CountDownLatch(1),
                aCommitted = new CountDownLatch(1);
        AtomicInteger bAttempts = new AtomicInteger();
        CompletableFuture<Long> a = CompletableFuture.supplyAsync(() -> {
            try (Connection c = db.open()) {
                Library lib = tm.run(1, () -> {
                    Library l = c.root(Library.class, () -> new Library("A"));
                    aCreated.countDown();
                    bCreated.await();
                    return l;
                });
                aCommitted.countDown();
                return lib.oid();
            }
        });
        CompletableFuture<Long> b = CompletableFuture.supplyAsync(() -> {
            try (Connection c = db.open()) {
                Library lib = tm.run(3, () -> {
                    int attempt = bAttempts.incrementAndGet();
                    if (attempt == 1) aCreated.await();
                    Library l = c.root(Library.class, () -> new Library("B"));
                    if (attempt == 1) {
                        assertThat(l.madeBy()).isEqualTo("B"); // A has not committed: B creates its own
                        bCreated.countDown();
                        aCommitted.await();
                    }
                    return l;
                });
                assertThat(lib.madeBy()).isEqualTo("A");
                return lib.oid();
            }
        });
        long aOid = a.get(), bOid = b.get();
        assertThat(bOid).isEqualTo(aOid);
        assertThat(bAttempts.get()).isEqualTo(2);
        try (Connection c = db.open()) {
            assertThat(c.root(Library.class, () -> new Library("C")).madeBy()).isEqualTo("A");
            assertThat(c.root()).hasSize(1);
            tm.abort();
        }
    }

    /** Without run(), the loser sees the conflict itself. */
    @ParameterizedTest
    @ValueSource(strings = {"temp:", "mem:"})
    void root_createdConcurrently_withoutRun_theLoserGetsAConflict(String uri) throws Exception {
        db.close();
        db = Database.open(uri);
        tm = db.transactionManager();
        try (Connection c = db.open()) {
            tm.begin();
            c.root(Library.class, () -> new Library("mine"));
            CompletableFuture.runAsync(() -> {
                        try (Connection c2 = db.open()) {
                            tm.run(1, () -> {
                                c2.root(Library.class, () -> new Library("theirs"));
                            });
                        }
                    })
                    .get();
            assertThatThrownBy(tm::commit).isInstanceOf(ConflictException.class);
            tm.abort();
            assertThat(c.root(Library.class, () -> new Library("again")).madeBy())
                    .isEqualTo("theirs");
            tm.abort();
        }
    }
}
