package org.cairndb.tests.fragment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.FragmentCache;
import org.cairndb.client.model.Item;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.cairndb.storage.Storage;
import org.cairndb.storage.uri.Storages;

/**
 * Random interleavings of renders, commits and transaction boundaries across two clients of
 * one server (two Database objects over cairn://, each with its near tier, sharing the
 * server's tier): a render never shows a dependency older than the reader's snapshot, which
 * after a begin holds every commit that has returned.
 *
 * <p>Fragment {@code f} reads items {@code f % ITEMS} and {@code (f + 1) % ITEMS}; item values
 * only grow, so "older" is "smaller".
 */
class FragmentInterleavingProperties {
    private static final int ITEMS = 3;
    private static final int FRAGMENTS = 4;
    private static Storage backing;
    private static CairnServer server;
    private static final AtomicInteger tries = new AtomicInteger();

    @BeforeContainer
    static void start() {
        backing = Storages.open("temp:");
        server = CairnServer.start(new ServerConfig().port(0).storage("main", backing));
        try (Database db = Database.open(backing);
                Connection c = db.open()) {
            for (int i = 0; i < ITEMS; i++) c.root().put("i" + i, new Item("i" + i, 0));
            db.transactionManager().commit();
        }
    }

    @AfterContainer
    static void stop() {
        server.close();
        backing.close();
    }

    /** kind 0: render fragment f in client c; 1: commit a new value of item f % ITEMS from client c; 2: begin in client c;
     *  3: render fragment f in client c while the other client commits one of its items. */
    record Step(int kind, int client, int f) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(0, 1),
                        Arbitraries.integers().between(0, FRAGMENTS - 1))
                .as(Step::new);
        return step.list().ofMinSize(5).ofMaxSize(40);
    }

    @Property(tries = 25)
    void rendersNeverShowADependencyOlderThanTheReadersSnapshot(@ForAll("steps") List<Step> steps) {
        String cacheName = "try" + tries.incrementAndGet(); // a fresh cache per try, also on the shared tier
        String uri = "cairn://127.0.0.1:" + server.port() + "/main";
        try (Database d0 = Database.open(uri);
                Database d1 = Database.open(uri);
                Connection c0 = d0.open();
                Connection c1 = d1.open()) {
            Database[] dbs = {d0, d1};
            Connection[] conns = {c0, c1};
            FragmentCache[] caches = {d0.fragmentCache(cacheName), d1.fragmentCache(cacheName)};
            int[] committed = new int[ITEMS];
            for (int i = 0; i < ITEMS; i++) committed[i] = ((Item) c0.root().get("i" + i)).qty();
            int[][] view = {committed.clone(), committed.clone()}; // each reader's snapshot, per item
            d0.transactionManager().abort();
            d1.transactionManager().abort();
            for (int i = 0; i < ITEMS; i++) {
                view[0][i] = committed[i];
                view[1][i] = committed[i];
            }
            List<String> trace = new ArrayList<>();
            for (Step s : steps) {
                trace.add(s.toString());
                int c = s.client();
                switch (s.kind()) {
                    case 0, 3 -> {
                        Runnable during = s.kind() == 3
                                ? () -> {
                                    int item = (s.f() + 1) % ITEMS;
                                    committed[item]++;
                                    set(dbs[1 - c], item, committed[item]);
                                }
                                : () -> {};
                        String got = caches[c].get("f" + s.f(), () -> {
                            String v = render(conns[c], s.f());
                            during.run();
                            return v;
                        });
                        int[] shown = parse(got);
                        for (int k = 0; k < 2; k++) {
                            int item = (s.f() + k) % ITEMS;
                            assertThat(shown[k])
                                    .as("item %d in fragment f%d for client %d; steps %s", item, s.f(), c, trace)
                                    .isGreaterThanOrEqualTo(view[c][item]);
                        }
                    }
                    case 1 -> {
                        int item = s.f() % ITEMS;
                        committed[item]++;
                        set(dbs[c], item, committed[item]);
                    }
                    default -> {
                        dbs[c].transactionManager().begin();
                        view[c] = committed.clone(); // every commit so far has returned
                    }
                }
            }
            d0.transactionManager().abort();
            d1.transactionManager().abort();
        }
    }

    private static String render(Connection c, int f) {
        Item a = (Item) c.root().get("i" + (f % ITEMS));
        Item b = (Item) c.root().get("i" + ((f + 1) % ITEMS));
        return a.qty() + "," + b.qty();
    }

    private static int[] parse(String s) {
        String[] p = s.split(",");
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
    }

    /** Commits item {@code i} = {@code value} from another thread of the client's process; returns when committed. */
    private static void set(Database db, int i, int value) {
        CompletableFuture.runAsync(() -> {
                    try (Connection c = db.open()) {
                        ((Item) c.root().get("i" + i)).qty(value);
                        db.transactionManager().commit();
                    }
                })
                .join();
    }
}
