package org.cairndb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.cairndb.client.model.Item;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fragment cache in one process: dependency capture, invalidation by commits, the stale supplier, bounds, single flight. */
class FragmentCacheTest {
    private Database db;
    private TransactionManager tm;
    private Connection conn;
    private final AtomicInteger renders = new AtomicInteger();

    @BeforeEach
    void open() {
        open("temp:");
    }

    private void open(String uri) {
        if (db != null) close();
        db = Database.open(uri);
        tm = db.transactionManager();
        conn = db.open();
        conn.root().put("a", new Item("a", 1));
        conn.root().put("b", new Item("b", 10));
        tm.commit();
    }

    @AfterEach
    void close() {
        if (conn != null && !conn.isClosed()) {
            tm.abort();
            conn.close();
        }
        db.close();
        db = null;
    }

    private Item item(Connection c, String name) {
        return (Item) c.root().get(name);
    }

    private String render(Connection c, String name) {
        renders.incrementAndGet();
        Item i = item(c, name);
        return i.name() + "=" + i.qty();
    }

    /** Commits a change of item {@code name} from another thread and connection (as another request would). */
    private void commitElsewhere(String name, int qty) {
        CompletableFuture.runAsync(() -> {
                    try (Connection c = db.open()) {
                        item(c, name).qty(qty);
                        db.transactionManager().commit();
                    }
                })
                .join();
    }

    @ParameterizedTest
    @ValueSource(strings = {"temp:", "mem:"})
    void commitToADependency_dropsTheValueBeforeTheCommitReturns(String uri) {
        open(uri);
        FragmentCache pages = db.fragmentCache("pages");
        assertThat(pages.get("a", () -> render(conn, "a"))).isEqualTo("a=1");
        assertThat(pages.get("a", () -> render(conn, "a"))).isEqualTo("a=1");
        assertThat(renders).hasValue(1);

        commitElsewhere("a", 2);
        tm.begin();
        assertThat(pages.get("a", () -> render(conn, "a")))
                .as("the commit to a returned: no stale value")
                .isEqualTo("a=2");
        assertThat(renders).hasValue(2);
        assertThat(pages.stats().invalidated()).isEqualTo(1);
    }

    @Test
    void commitToAnUnrelatedObject_keepsTheValue() {
        FragmentCache pages = db.fragmentCache("pages");
        pages.get("a", () -> render(conn, "a"));
        commitElsewhere("b", 11);
        tm.begin();
        assertThat(pages.get("a", () -> render(conn, "a"))).isEqualTo("a=1");
        assertThat(renders).hasValue(1);
    }

    @Test
    void ownCommit_dropsTheValueToo() {
        FragmentCache pages = db.fragmentCache("pages");
        pages.get("a", () -> render(conn, "a"));
        item(conn, "a").qty(5);
        tm.commit();
        assertThat(pages.get("a", () -> render(conn, "a"))).isEqualTo("a=5");
    }

    @Test
    void alreadyLoadedObjects_areDependenciesToo() {
        FragmentCache pages = db.fragmentCache("pages");
        item(conn, "a").qty(); // loaded before the supplier runs: read, not loaded, inside it
        pages.get("a", () -> render(conn, "a"));
        commitElsewhere("a", 3);
        tm.begin();
        assertThat(pages.get("a", () -> render(conn, "a"))).isEqualTo("a=3");
    }

    @Test
    void supplierOnASnapshotOlderThanAConcurrentCommit_doesNotStoreItsValue() {
        FragmentCache pages = db.fragmentCache("pages");
        String first = pages.get("a", () -> {
            String v = render(conn, "a");
            commitElsewhere("a", 7); // commits (and is processed) while the supplier still runs
            return v;
        });
        assertThat(first).as("the caller gets what its snapshot showed").isEqualTo("a=1");
        assertThat(pages.stats().refused()).isEqualTo(1);
        tm.begin();
        assertThat(pages.get("a", () -> render(conn, "a"))).isEqualTo("a=7");
    }

    @Test
    void supplierOnAnOldSnapshot_commitBeforeTheSupplierStarted_doesNotStoreItsValue() {
        FragmentCache pages = db.fragmentCache("pages");
        item(conn, "a").qty(); // the snapshot is fixed: this transaction reads as of now
        commitElsewhere("a", 8); // processed before the supplier runs, on an entry that does not exist yet
        assertThat(pages.get("a", () -> render(conn, "a"))).isEqualTo("a=1");
        tm.begin();
        assertThat(pages.get("a", () -> render(conn, "a"))).isEqualTo("a=8");
    }

    @Test
    void readsWithUncommittedChanges_areNotStored() {
        FragmentCache pages = db.fragmentCache("pages");
        item(conn, "a").qty(99);
        assertThat(pages.get("a", () -> render(conn, "a"))).isEqualTo("a=99");
        tm.abort();
        assertThat(pages.get("a", () -> render(conn, "a"))).isEqualTo("a=1");
    }

    @Test
    void nestedFragment_servedFromTheCache_stillMakesTheOuterOneDepend() {
        FragmentCache pages = db.fragmentCache("pages");
        pages.get("inner", () -> render(conn, "a"));
        String outer = pages.get("outer", () -> "[" + pages.get("inner", () -> render(conn, "a")) + "]");
        assertThat(outer).isEqualTo("[a=1]");
        commitElsewhere("a", 4);
        tm.begin();
        assertThat(pages.get("outer", () -> "[" + pages.get("inner", () -> render(conn, "a")) + "]"))
                .isEqualTo("[a=4]");
    }

    @Test
    void explicitInvalidate_tags_andPerUserKeys() {
        FragmentCache pages = db.fragmentCache("pages");
        pages.get("x", () -> "x1");
        pages.invalidate("x");
        assertThat(pages.get("x", () -> "x2")).isEqualTo("x2");

        pages.get(FragmentKey.of("book", 1), FragmentCache.spec().tags("books"), () -> "b1");
        pages.get(FragmentKey.of("author", 1), FragmentCache.spec().tags("authors"), () -> "a1");
        pages.invalidateTag("books");
        assertThat(pages.get(FragmentKey.of("book", 1), () -> "b2")).isEqualTo("b2");
        assertThat(pages.get(FragmentKey.of("author", 1), () -> "a2")).isEqualTo("a1");

        assertThat(pages.get(FragmentKey.forUser("ada", "header"), () -> "hello ada"))
                .isEqualTo("hello ada");
        assertThat(pages.get(FragmentKey.forUser("bob", "header"), () -> "hello bob"))
                .isEqualTo("hello bob");
        assertThat(pages.get(FragmentKey.of("header"), () -> "hello guest")).isEqualTo("hello guest");
        assertThat(pages.get("#header", () -> "plain"))
                .as("a String never equals a FragmentKey")
                .isEqualTo("plain");
    }

    @Test
    void invalidateDuringTheSupplier_valueNotStored() {
        FragmentCache pages = db.fragmentCache("pages");
        pages.get("x", () -> {
            pages.invalidate("x"); // e.g. the data outside Cairn it was computed from changed meanwhile
            return "old";
        });
        assertThat(pages.get("x", () -> "new")).isEqualTo("new");
    }

    @Test
    void timeToLive_expiresTheValue() {
        FragmentCache pages = db.fragmentCache("short", FragmentCache.options().ttl(Duration.ofNanos(1)));
        pages.get("x", () -> "x1");
        assertThat(pages.get("x", () -> "x2")).isEqualTo("x2");
        FragmentCache perValue = db.fragmentCache("long");
        perValue.get("y", FragmentCache.spec().ttl(Duration.ofNanos(1)), () -> "y1");
        perValue.get("z", () -> "z1");
        assertThat(perValue.get("y", () -> "y2")).isEqualTo("y2");
        assertThat(perValue.get("z", () -> "z2")).isEqualTo("z1");
    }

    @Test
    void boundInEntries_evicts() {
        FragmentCache pages =
                db.fragmentCache("small", FragmentCache.options().maxEntries(10).maxBytes(1 << 20));
        for (int i = 0; i < 200; i++) {
            int n = i;
            pages.get("k" + n, () -> "v" + n);
        }
        FragmentCache.Stats s = pages.stats();
        assertThat(s.entries()).isLessThanOrEqualTo(10);
        assertThat(s.evicted()).isGreaterThanOrEqualTo(190);
    }

    @Test
    void boundInBytes_evicts_andDependencyIndexFollows() {
        FragmentCache pages = db.fragmentCache(
                "bytes", FragmentCache.options().maxEntries(1000).maxBytes(64 << 10));
        for (int i = 0; i < 50; i++) {
            int n = i;
            pages.get("k" + n, () -> {
                item(conn, "a").qty();
                return new byte[16 << 10];
            });
        }
        FragmentCache.Stats s = pages.stats();
        assertThat(s.entries()).isLessThanOrEqualTo(4);
        assertThat(s.weight()).isLessThanOrEqualTo(64 << 10);
        assertThat(s.evicted()).isGreaterThanOrEqualTo(46);
    }

    @Test
    void valuesOfAnyKind_copiedInAndOut() {
        FragmentCache pages = db.fragmentCache("pages");
        byte[] bytes = {1, 2, 3};
        pages.get("bytes", () -> bytes);
        bytes[0] = 9;
        byte[] got = pages.get("bytes", () -> new byte[0]);
        assertThat(got).containsExactly(1, 2, 3);
        got[1] = 9;
        assertThat((byte[]) pages.get("bytes", () -> new byte[0])).containsExactly(1, 2, 3);

        record Card(String title, List<String> tags) {}
        pages.get("card", () -> new Card("Dune", List.of("sf")));
        Card c = pages.get("card", () -> null);
        assertThat(c).isEqualTo(new Card("Dune", List.of("sf")));

        assertThatThrownBy(() -> pages.get("obj", () -> item(conn, "a")))
                .hasMessageContaining("cache their oid or the rendered value");
    }

    @Test
    void concurrentMisses_runTheSupplierOnce() throws Exception {
        FragmentCache pages = db.fragmentCache("pages");
        int threads = 16;
        CountDownLatch entered = new CountDownLatch(threads);
        AtomicInteger runs = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> out = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                out.add(pool.submit(() -> {
                    try (Connection c = db.open()) {
                        entered.countDown();
                        return pages.get("hot", () -> {
                            runs.incrementAndGet();
                            try {
                                entered.await(); // the value is ready only once every caller asked for it
                            } catch (InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                            return render(c, "a");
                        });
                    }
                }));
            }
            for (Future<String> f : out) assertThat(f.get()).isEqualTo("a=1");
        } finally {
            pool.shutdownNow();
        }
        assertThat(runs).as("one supplier run for all concurrent callers").hasValue(1);
    }

    @Test
    void sameKeyInsideItsOwnSupplier_refused() {
        FragmentCache pages = db.fragmentCache("pages");
        assertThatThrownBy(() -> pages.get("x", () -> pages.get("x", () -> "inner")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot contain itself");
        assertThat(pages.get("x", () -> "ok")).isEqualTo("ok");
    }
}
