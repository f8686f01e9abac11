package org.cairndb.client.btree;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.TransactionManager;
import org.cairndb.storage.ConflictException;

/**
 * Random operation sequences on a BTreeMap (tiny buckets and inner nodes, so splits and
 * removals happen all the time) against java.util.TreeMap, with commits, aborts, reloads
 * from storage and commits from a second connection on another thread in between; the
 * tree's invariants are checked after every step.
 */
class BTreeMapPropertyTest {

    enum Kind {
        PUT,
        APPEND,
        REMOVE,
        COMMIT,
        ABORT,
        RELOAD,
        OTHER_PUT,
        OTHER_APPEND,
        OTHER_REMOVE
    }

    record Op(Kind kind, int key, int value) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(30, Kind.PUT),
                net.jqwik.api.Tuple.of(15, Kind.APPEND),
                net.jqwik.api.Tuple.of(12, Kind.REMOVE),
                net.jqwik.api.Tuple.of(8, Kind.COMMIT),
                net.jqwik.api.Tuple.of(2, Kind.ABORT),
                net.jqwik.api.Tuple.of(3, Kind.RELOAD),
                net.jqwik.api.Tuple.of(6, Kind.OTHER_PUT),
                net.jqwik.api.Tuple.of(6, Kind.OTHER_APPEND),
                net.jqwik.api.Tuple.of(3, Kind.OTHER_REMOVE));
        Arbitrary<Op> op = Combinators.combine(
                        kinds,
                        Arbitraries.integers().between(0, 120),
                        Arbitraries.integers().between(0, 9))
                .as(Op::new);
        return op.list().ofMinSize(5).ofMaxSize(120);
    }

    @Property(tries = 40)
    void operations_matchTreeMapAndKeepInvariants(@ForAll("ops") List<Op> ops) throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (Database db = Database.open("temp:")) {
            TransactionManager tm = db.transactionManager();
            Connection c = db.open();
            BTreeMap<Integer, Integer> tree = new BTreeMap<>(4, 4);
            c.root().put("tree", tree);
            tm.commit();
            Connection c2 = other.submit((java.util.concurrent.Callable<Connection>) db::open)
                    .get();
            TreeMap<Integer, Integer> committed = new TreeMap<>();
            List<Op> pending = new ArrayList<>();
            int[] nextAppend = {1000};
            // another connection committed since this one's snapshot: only then may its commit conflict
            boolean concurrent = false;
            for (Op op : ops) {
                switch (op.kind()) {
                    // only real changes count: a no-op put or remove changes nothing to merge
                    case PUT -> {
                        if (!Integer.valueOf(op.value()).equals(tree.put(op.key(), op.value()))) pending.add(op);
                    }
                    case APPEND -> {
                        int k = nextAppend[0]++;
                        tree.put(k, op.value());
                        pending.add(new Op(Kind.PUT, k, op.value()));
                    }
                    case REMOVE -> {
                        if (tree.remove(op.key()) != null) pending.add(op);
                    }
                    case COMMIT -> {
                        try {
                            tm.commit();
                            apply(committed, pending);
                        } catch (ConflictException conflict) {
                            // the other connection's change could not be merged: ours is gone
                            if (!concurrent) {
                                throw new AssertionError(
                                        "commit of " + pending + " conflicted with no concurrent commit: " + conflict,
                                        conflict);
                            }
                            Statistics.label("commit").collect("conflict");
                        }
                        pending.clear();
                        concurrent = false;
                        compare(tree, committed);
                    }
                    case ABORT -> {
                        tm.abort();
                        pending.clear();
                        concurrent = false;
                        compare(tree, committed);
                    }
                    case RELOAD -> {
                        tm.abort();
                        pending.clear();
                        concurrent = false;
                        c.cacheMinimize();
                        compare(tree, committed);
                    }
                    case OTHER_PUT, OTHER_APPEND, OTHER_REMOVE -> {
                        int key = op.kind() == Kind.OTHER_APPEND ? nextAppend[0]++ : op.key();
                        Future<?> f = other.submit(() -> {
                            tm.begin();
                            @SuppressWarnings("unchecked")
                            BTreeMap<Integer, Integer> t2 =
                                    (BTreeMap<Integer, Integer>) c2.root().get("tree");
                            if (op.kind() == Kind.OTHER_REMOVE) t2.remove(key);
                            else t2.put(key, op.value() + 100);
                            t2.checkInvariants();
                            tm.commit();
                        });
                        f.get();
                        if (op.kind() == Kind.OTHER_REMOVE) committed.remove(key);
                        else committed.put(key, op.value() + 100);
                        concurrent = true;
                    }
                }
                tree.checkInvariants();
            }
            tm.abort();
            compare(tree, committed);
            other.submit(() -> {
                        tm.abort();
                        c2.close();
                    })
                    .get();
            c.close();
        } finally {
            other.shutdownNow();
        }
    }

    private static void apply(TreeMap<Integer, Integer> model, List<Op> ops) {
        for (Op op : ops) {
            if (op.kind() == Kind.REMOVE) model.remove(op.key());
            else model.put(op.key(), op.value());
        }
    }

    private static void compare(BTreeMap<Integer, Integer> tree, TreeMap<Integer, Integer> expected) {
        tree.checkInvariants();
        List<Map.Entry<Integer, Integer>> actual = new ArrayList<>();
        for (Map.Entry<Integer, Integer> e : tree.entrySet()) actual.add(Map.entry(e.getKey(), e.getValue()));
        assertThat(actual)
                .containsExactlyElementsOf(new ArrayList<>(expected.entrySet())
                        .stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList());
        assertThat(tree.size()).isEqualTo(expected.size());
        if (!expected.isEmpty()) {
            assertThat(tree.firstKey()).isEqualTo(expected.firstKey());
            assertThat(tree.lastKey()).isEqualTo(expected.lastKey());
            int from = expected.firstKey() + 3, to = from + 20;
            List<Integer> ranged = new ArrayList<>();
            for (Map.Entry<Integer, Integer> e : tree.range(from, to)) ranged.add(e.getKey());
            assertThat(ranged)
                    .containsExactlyElementsOf(expected.subMap(from, to).keySet());
        }
    }
}
