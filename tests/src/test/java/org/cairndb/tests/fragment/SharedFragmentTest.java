package org.cairndb.tests.fragment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.FragmentCache;
import org.cairndb.client.FragmentKey;
import org.cairndb.client.TransactionManager;
import org.cairndb.client.model.Item;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.cairndb.storage.FragmentTier;
import org.cairndb.storage.Storage;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fragment cache across processes: two Database objects over cairn:// to one server
 * (each with its own connection, near tier and reading thread, as two application processes
 * have), sharing the server's fragment tier.
 */
class SharedFragmentTest {
    private Storage backing;
    private CairnServer server;
    private final AtomicInteger renders = new AtomicInteger();

    @BeforeEach
    void start() {
        backing = Storages.open("temp:");
        server = CairnServer.start(new ServerConfig().port(0).storage("main", backing));
        try (Database db = Database.open(backing);
                Connection c = db.open()) {
            c.root().put("a", new Item("a", 1));
            c.root().put("b", new Item("b", 10));
            db.transactionManager().commit();
        }
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        backing.close();
    }

    private Database client() {
        return Database.open("cairn://127.0.0.1:" + server.port() + "/main");
    }

    private String render(Connection c, String name) {
        renders.incrementAndGet();
        Item i = (Item) c.root().get(name);
        return i.name() + "=" + i.qty();
    }

    private static void change(Database db, String name, int qty) {
        CompletableFuture.runAsync(() -> {
                    try (Connection c = db.open()) {
                        ((Item) c.root().get(name)).qty(qty);
                        db.transactionManager().commit();
                    }
                })
                .join();
    }

    @Test
    void valueComputedInOneProcess_servedToTheOtherFromTheSharedTier() {
        try (Database p1 = client();
                Database p2 = client();
                Connection c1 = p1.open();
                Connection c2 = p2.open()) {
            FragmentCache f1 = p1.fragmentCache("pages");
            FragmentCache f2 = p2.fragmentCache("pages");
            assertThat(f1.<String>get(FragmentKey.of("item", "a"), () -> render(c1, "a")))
                    .isEqualTo("a=1");
            assertThat(f2.<String>get(FragmentKey.of("item", "a"), () -> render(c2, "a")))
                    .isEqualTo("a=1");
            assertThat(renders).as("the second process did not render").hasValue(1);
            assertThat(f2.stats().sharedHits()).isEqualTo(1);
            assertThat(f2.<String>get(FragmentKey.of("item", "a"), () -> render(c2, "a")))
                    .isEqualTo("a=1");
            assertThat(f2.stats().hits()).as("now from its near tier").isEqualTo(1);
            p1.transactionManager().abort();
            p2.transactionManager().abort();
        }
    }

    @Test
    void commitInOneProcess_returned_noProcessServesTheOldValue() {
        try (Database p1 = client();
                Database p2 = client();
                Connection c1 = p1.open();
                Connection c2 = p2.open()) {
            FragmentCache f1 = p1.fragmentCache("pages");
            FragmentCache f2 = p2.fragmentCache("pages");
            TransactionManager tm1 = p1.transactionManager();
            TransactionManager tm2 = p2.transactionManager();
            for (int round = 2; round < 40; round++) {
                f1.get("a", () -> render(c1, "a"));
                f2.get("a", () -> render(c2, "a"));
                change(round % 2 == 0 ? p1 : p2, "a", round); // returned: every reader that begins now must see it
                tm1.begin();
                tm2.begin();
                assertThat(f2.<String>get("a", () -> render(c2, "a")))
                        .as("round " + round + ", process 2")
                        .isEqualTo("a=" + round);
                assertThat(f1.<String>get("a", () -> render(c1, "a")))
                        .as("round " + round + ", process 1")
                        .isEqualTo("a=" + round);
            }
            tm1.abort();
            tm2.abort();
        }
    }

    @Test
    void staleSupplier_neitherTierStoresItsValue() {
        try (Database p1 = client();
                Database p2 = client();
                Connection c1 = p1.open();
                Connection c2 = p2.open()) {
            FragmentCache f1 = p1.fragmentCache("pages");
            FragmentCache f2 = p2.fragmentCache("pages");
            String old = f1.get("a", () -> {
                String v = render(c1, "a");
                change(p2, "a", 5); // another process commits a dependency while the supplier runs
                return v;
            });
            assertThat(old).isEqualTo("a=1");
            p2.transactionManager().begin();
            assertThat(f2.<String>get("a", () -> render(c2, "a")))
                    .as("the shared tier refused the late value")
                    .isEqualTo("a=5");
            p1.transactionManager().begin();
            assertThat(f1.<String>get("a", () -> render(c1, "a"))).isEqualTo("a=5");
            p1.transactionManager().abort();
            p2.transactionManager().abort();
        }
    }

    @Test
    void serverRefusesAValueWhoseSnapshotPredatesACommitToADependency() {
        try (Database p1 = client();
                Connection c1 = p1.open()) {
            FragmentTier tier = (FragmentTier) p1.storage();
            long oid = ((Item) c1.root().get("a")).oid();
            long snapshot = c1.snapshotTid();
            p1.transactionManager().abort();
            byte[] v = "a=1".getBytes(StandardCharsets.UTF_8);
            assertThat(tier.fragmentSet("raw", "fresh", 1, v, new long[] {oid}, snapshot, 0, List.of()))
                    .isTrue();
            change(p1, "a", 2);
            assertThat(tier.fragmentGet("raw", "fresh"))
                    .as("dropped by the commit")
                    .isNull();
            assertThat(tier.fragmentSet("raw", "late", 1, v, new long[] {oid}, snapshot, 0, List.of()))
                    .as("computed before the commit, offered after it")
                    .isFalse();
            assertThat(tier.fragmentGet("raw", "late")).isNull();
            long otherOid = ((Item) c1.root().get("b")).oid();
            assertThat(tier.fragmentSet("raw", "unrelated", 1, v, new long[] {otherOid}, snapshot, 0, List.of()))
                    .as("the commit did not touch b")
                    .isTrue();
            FragmentTier.Hit hit = tier.fragmentGet("raw", "unrelated");
            assertThat(hit.deps()).containsExactly(otherOid);
            assertThat(new String(hit.value(), StandardCharsets.UTF_8)).isEqualTo("a=1");
            p1.transactionManager().abort();
        }
    }

    @Test
    void sharedTier_boundedInBytes_evicts() {
        server.close();
        server = CairnServer.start(
                new ServerConfig().port(0).storage("main", backing).fragmentCacheBytes(64 << 10));
        try (Database p1 = client()) {
            FragmentTier tier = (FragmentTier) p1.storage();
            long last = p1.storage().knownLastTid();
            byte[] v = new byte[16 << 10];
            for (int i = 0; i < 50; i++)
                assertThat(tier.fragmentSet("big", "k" + i, 2, v, new long[0], last, 0, List.of()))
                        .isTrue();
            int held = 0;
            for (int i = 0; i < 50; i++) if (tier.fragmentGet("big", "k" + i) != null) held++;
            assertThat(held).as("16 KiB values in a 64 KiB tier").isBetween(1, 4);
        }
    }

    @Test
    void explicitInvalidation_reachesTheSharedTier() {
        try (Database p1 = client();
                Database p2 = client()) {
            FragmentCache f1 = p1.fragmentCache("pages");
            FragmentCache f2 = p2.fragmentCache("pages");
            f1.get(FragmentKey.forUser("ada", "header"), FragmentCache.spec().tags("headers"), () -> "hello ada");
            f1.get("k", () -> "v1");
            f1.invalidate("k");
            f1.invalidateTag("headers");
            assertThat(f2.<String>get("k", () -> "v2")).isEqualTo("v2");
            assertThat(f2.<String>get(FragmentKey.forUser("ada", "header"), () -> "hello again"))
                    .isEqualTo("hello again");
            assertThat(f2.<String>get(FragmentKey.forUser("bob", "header"), () -> "hello bob"))
                    .isEqualTo("hello bob");
        }
    }

    @Test
    void serverRestart_emptiesTheSharedTier_andChangesWhileDownDropNearValues() {
        int port = server.port();
        try (Database p1 = client();
                Connection c1 = p1.open()) {
            FragmentCache f1 = p1.fragmentCache("pages");
            TransactionManager tm1 = p1.transactionManager();
            f1.get("a", () -> render(c1, "a"));
            f1.get("b", () -> render(c1, "b"));
            tm1.abort();
            server.close();
            // committed while no server saw it: nothing can say which values it made stale
            try (Database direct = Database.open(backing);
                    Connection c = direct.open()) {
                ((Item) c.root().get("b")).qty(11);
                direct.transactionManager().commit();
            }
            server = CairnServer.start(new ServerConfig().port(port).storage("main", backing));
            tm1.begin(); // reconnects
            assertThat(f1.<String>get("b", () -> render(c1, "b"))).isEqualTo("b=11");
            assertThat(f1.<String>get("a", () -> render(c1, "a")))
                    .as("dropped too: its dependencies could not be checked")
                    .isEqualTo("a=1");
            assertThat(renders).hasValue(4);
            tm1.abort();
            try (Database p2 = client();
                    Connection c2 = p2.open()) {
                p2.fragmentCache("pages").get("fresh", () -> render(c2, "a"));
                assertThat(p2.fragmentCache("pages").stats().sharedHits()).isZero();
                p2.transactionManager().abort();
            }
        }
    }
}
