package org.cairndb.client.btree;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.TransactionManager;

/**
 * Random operation sequences on a {@link BTreeMap} (tiny buckets and inner nodes, so walks
 * cross many of them) and on {@link TreeMap}, each operation through the same random chain
 * of views (sub, head, tail, descending maps; key sets; values; entry sets): results,
 * exceptions, iteration order and removals through iterators must agree, and so must
 * {@code equals}, {@code hashCode} and {@code toString} in both directions. Every try commits
 * and reloads the tree from storage at least once (a fresh connection at the end), and more
 * often at random.
 */
class BTreeMapModelTest {
    enum View {
        DESCENDING,
        SUB,
        HEAD,
        TAIL
    }

    enum Act {
        PUT,
        REMOVE,
        GET,
        CONTAINS,
        FIRST,
        LAST,
        CEILING,
        FLOOR,
        HIGHER,
        LOWER,
        POLL_FIRST,
        POLL_LAST,
        SIZE,
        ITERATE,
        ITERATE_REMOVE,
        ITERATE_SET_VALUE,
        KEYS_REMOVE,
        DESCENDING_KEYS_ITERATE_REMOVE,
        NAV_KEYS,
        VALUES_REMOVE,
        ENTRY_CONTAINS_REMOVE,
        CLEAR,
        FIRST_KEY,
        LAST_KEY,
        RELOAD
    }

    record ViewStep(View view, int a, boolean ai, int b, boolean bi) {}

    record Op(List<ViewStep> views, Act act, int key, int value) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> keys = Arbitraries.integers().between(0, 60);
        Arbitrary<ViewStep> step = Combinators.combine(
                        Arbitraries.of(View.class),
                        keys,
                        Arbitraries.of(true, false),
                        keys,
                        Arbitraries.of(true, false))
                .as(ViewStep::new);
        Arbitrary<Act> acts = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(30, Arbitraries.just(Act.PUT)),
                net.jqwik.api.Tuple.of(8, Arbitraries.just(Act.REMOVE)),
                net.jqwik.api.Tuple.of(30, Arbitraries.of(Act.class)));
        return Combinators.combine(
                        step.list().ofMaxSize(3),
                        acts,
                        keys,
                        Arbitraries.integers().between(0, 9))
                .as(Op::new)
                .list()
                .ofMinSize(10)
                .ofMaxSize(80);
    }

    @Property(tries = 60)
    void operationsThroughViews_matchTreeMap(
            @ForAll("ops") List<Op> ops, @ForAll @IntRange(min = 2, max = 5) int bucketSize) {
        try (Database db = Database.open("temp:")) {
            TransactionManager tm = db.transactionManager();
            Connection c = db.open();
            BTreeMap<Integer, Integer> tree = new BTreeMap<>(bucketSize, 3);
            c.root().put("tree", tree);
            TreeMap<Integer, Integer> model = new TreeMap<>();
            for (Op op : ops) {
                if (op.act() == Act.RELOAD) {
                    tm.commit();
                    c.cacheMinimize();
                } else {
                    Object expected = outcome(model, op);
                    Object actual = outcome(tree, op);
                    assertThat(actual).as("%s", op).isEqualTo(expected);
                }
                tree.checkInvariants();
                agree(tree, model);
                Object modelView = view(model, op.views()), treeView = view(tree, op.views());
                if (modelView instanceof NavigableMap<?, ?> mv) agree((NavigableMap<?, ?>) treeView, mv);
            }
            tm.commit();
            c.close();
            try (Connection fresh = db.open()) {
                @SuppressWarnings("unchecked")
                BTreeMap<Integer, Integer> reloaded =
                        (BTreeMap<Integer, Integer>) fresh.root().get("tree");
                reloaded.checkInvariants();
                agree(reloaded, model);
                agree(reloaded.descendingMap(), model.descendingMap());
                tm.abort();
            }
        }
    }

    /** equals, hashCode and toString agree both ways, for the map and its key sets. */
    static void agree(NavigableMap<?, ?> persistent, NavigableMap<?, ?> jdk) {
        assertThat(persistent.equals(jdk))
                .as("persistent.equals(jdk): %s vs %s", persistent, jdk)
                .isTrue();
        assertThat(jdk.equals(persistent)).as("jdk.equals(persistent)").isTrue();
        assertThat(persistent.hashCode()).isEqualTo(jdk.hashCode());
        assertThat(persistent.toString()).isEqualTo(jdk.toString());
        assertThat(persistent.navigableKeySet()).isEqualTo(jdk.navigableKeySet());
        assertThat(jdk.descendingKeySet().equals(persistent.descendingKeySet())).isTrue();
        assertThat(persistent.descendingKeySet().toString())
                .isEqualTo(jdk.descendingKeySet().toString());
        assertThat(persistent.entrySet().hashCode()).isEqualTo(jdk.entrySet().hashCode());
        assertThat(new ArrayList<>(persistent.values())).isEqualTo(new ArrayList<>(jdk.values()));
    }

    /** The result of the op, or the class of what it threw. */
    static Object outcome(NavigableMap<Integer, Integer> m, Op op) {
        try {
            Object v = view(m, op.views());
            return normalize(act(v, op));
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }

    static Object view(NavigableMap<Integer, Integer> m, List<ViewStep> steps) {
        try {
            NavigableMap<Integer, Integer> v = m;
            for (ViewStep s : steps) {
                v = switch (s.view()) {
                    case DESCENDING -> v.descendingMap();
                    case SUB -> v.subMap(s.a(), s.ai(), s.b(), s.bi());
                    case HEAD -> v.headMap(s.b(), s.bi());
                    case TAIL -> v.tailMap(s.a(), s.ai());
                };
            }
            return v;
        } catch (IllegalArgumentException e) {
            return e.getClass();
        }
    }

    @SuppressWarnings("unchecked")
    static Object act(Object view, Op op) {
        if (!(view instanceof NavigableMap<?, ?>)) return view; // making the view failed: that is the outcome
        NavigableMap<Integer, Integer> v = (NavigableMap<Integer, Integer>) view;
        int k = op.key(), x = op.value();
        return switch (op.act()) {
            case PUT -> v.put(k, x);
            case REMOVE -> v.remove(k);
            case GET -> v.get(k);
            case CONTAINS -> List.of(v.containsKey(k), v.containsValue(x));
            case FIRST -> v.firstEntry();
            case LAST -> v.lastEntry();
            case CEILING -> List.of(String.valueOf(v.ceilingEntry(k)), String.valueOf(v.ceilingKey(k)));
            case FLOOR -> List.of(String.valueOf(v.floorEntry(k)), String.valueOf(v.floorKey(k)));
            case HIGHER -> List.of(String.valueOf(v.higherEntry(k)), String.valueOf(v.higherKey(k)));
            case LOWER -> List.of(String.valueOf(v.lowerEntry(k)), String.valueOf(v.lowerKey(k)));
            case POLL_FIRST -> v.pollFirstEntry();
            case POLL_LAST -> v.pollLastEntry();
            case SIZE -> List.of(v.size(), v.isEmpty());
            case ITERATE -> new ArrayList<>(v.entrySet());
            case ITERATE_REMOVE -> {
                List<Object> seen = new ArrayList<>();
                for (Iterator<Map.Entry<Integer, Integer>> it = v.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<Integer, Integer> e = it.next();
                    seen.add(e.getKey());
                    if (e.getKey() % 3 == x % 3) it.remove();
                }
                yield seen;
            }
            case ITERATE_SET_VALUE -> {
                for (Map.Entry<Integer, Integer> e : v.entrySet())
                    if (e.getKey() % 2 == 0) e.setValue(e.getValue() + x);
                yield new ArrayList<>(v.entrySet());
            }
            case KEYS_REMOVE ->
                List.of(v.keySet().remove(k), v.navigableKeySet().remove(k + 1));
            case DESCENDING_KEYS_ITERATE_REMOVE -> {
                List<Integer> seen = new ArrayList<>();
                for (Iterator<Integer> it = v.descendingKeySet().iterator(); it.hasNext(); ) {
                    Integer key = it.next();
                    seen.add(key);
                    if (key % 4 == x % 4) it.remove();
                }
                yield seen;
            }
            case NAV_KEYS -> {
                Set<Integer> ks = v.navigableKeySet();
                yield List.of(
                        String.valueOf(v.navigableKeySet().ceiling(k)),
                        String.valueOf(v.descendingKeySet().ceiling(k)),
                        new ArrayList<>(v.navigableKeySet().headSet(k, true)),
                        new ArrayList<>(v.descendingKeySet().tailSet(k, false)),
                        ks.size());
            }
            case VALUES_REMOVE -> {
                Collection<Integer> values = v.values();
                yield List.of(values.remove(x), values.contains(x), new ArrayList<>(values));
            }
            case ENTRY_CONTAINS_REMOVE -> {
                Map.Entry<Integer, Integer> e = new AbstractMap.SimpleImmutableEntry<>(k, x);
                yield List.of(v.entrySet().contains(e), v.entrySet().remove(e));
            }
            case CLEAR -> {
                v.clear();
                yield v.size();
            }
            case FIRST_KEY -> v.firstKey();
            case LAST_KEY -> v.lastKey();
            case RELOAD -> throw new AssertionError("handled by the caller");
        };
    }

    /** Entries become plain immutable entries, so BTreeMap's and TreeMap's compare by key and value. */
    static Object normalize(Object o) {
        if (o instanceof Map.Entry<?, ?> e) return new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue());
        if (o instanceof List<?> l)
            return l.stream().map(BTreeMapModelTest::normalize).toList();
        return o;
    }
}
