package org.cairndb.tests.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.TransactionManager;
import org.cairndb.client.btree.BTreeMap;
import org.cairndb.client.model.Item;
import org.cairndb.remote.RemoteStorage;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, lever 3, through the object layer over cairn:// with the record cache off: a range
 * walk of a BTreeMap prefetches the buckets ahead (a round trip per many buckets, not one per
 * bucket), {@code conn.prefetch(...)} loads many ghosts per round trip, and what they load is
 * what plain loads give, at the connection's snapshot.
 */
class PrefetchTraversalTest {
    private static final int KEYS = 600;

    @Test
    void rangeWalk_prefetchesBuckets_andPrefetchedValues_needNoFurtherRoundTrips() {
        try (CairnServer server = CairnServer.start(new ServerConfig().port(0).storage("main", "temp:"));
                Database db = Database.open("cairn://127.0.0.1:" + server.port() + "/main?cache-mb=0")) {
            TransactionManager tm = db.transactionManager();
            RemoteStorage remote = (RemoteStorage) db.storage();
            try (Connection c = db.open()) {
                BTreeMap<Integer, Item> map = new BTreeMap<>(8, 64); // 4-8 keys a bucket: 75-150 buckets
                for (int i = 0; i < KEYS; i++) map.put(i, new Item("item-" + i, i));
                c.root().put("items", map);
                tm.commit();
            }
            try (Connection c = db.open()) {
                @SuppressWarnings("unchecked")
                BTreeMap<Integer, Item> map = (BTreeMap<Integer, Item>) c.root().get("items");
                long t0 = remote.roundTrips();
                int keys = 0;
                for (Integer k : map.keySet()) {
                    assertThat(k).isEqualTo(keys);
                    keys++;
                }
                long walk = remote.roundTrips() - t0;
                assertThat(keys).isEqualTo(KEYS);
                // one round trip per bucket (at least 75) without prefetch
                assertThat(walk)
                        .as("round trips of a walk over at least 75 buckets")
                        .isLessThanOrEqualTo(12);

                long t1 = remote.roundTrips();
                c.prefetch(map.values());
                long prefetch = remote.roundTrips() - t1;
                assertThat(prefetch).as("600 ghosts in batches of 128").isEqualTo(5);
                long t2 = remote.roundTrips();
                int i = 0;
                for (Map.Entry<Integer, Item> e : map.entrySet()) {
                    assertThat(e.getValue().qty()).isEqualTo(e.getKey());
                    assertThat(e.getValue().name()).isEqualTo("item-" + i++);
                }
                assertThat(remote.roundTrips() - t2)
                        .as("the values were prefetched")
                        .isZero();
                tm.abort();
            }
        }
    }

    @Test
    void prefetchedObjects_areTheConnectionsSnapshot_evenWhenNewerCommitsExist() {
        try (CairnServer server = CairnServer.start(new ServerConfig().port(0).storage("main", "temp:"));
                Database db = Database.open("cairn://127.0.0.1:" + server.port() + "/main?cache-mb=0")) {
            TransactionManager tm = db.transactionManager();
            long[] oids = new long[200];
            try (Connection c = db.open()) {
                List<Item> items = new ArrayList<>();
                for (int i = 0; i < oids.length; i++) items.add(c.add(new Item("v", i)));
                c.root().put("list", new ArrayList<>(items));
                tm.commit();
                for (int i = 0; i < oids.length; i++) oids[i] = items.get(i).oid();
            }
            try (Connection reader = db.open()) {
                reader.get(oids[0], Item.class).qty(); // the reader's snapshot is now fixed for this transaction
                Thread other = new Thread(() -> {
                    try (Connection w = db.open()) {
                        for (long oid : oids) w.get(oid, Item.class).qty(-1);
                        tm.commit();
                    }
                });
                other.start();
                join(other);
                reader.prefetch(oids);
                for (int i = 0; i < oids.length; i++)
                    assertThat(reader.get(oids[i], Item.class).qty()).isEqualTo(i);
                tm.abort(); // the next transaction sees the commit
                reader.prefetch(oids);
                for (long oid : oids)
                    assertThat(reader.get(oid, Item.class).qty()).isEqualTo(-1);
                tm.abort();
            }
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
