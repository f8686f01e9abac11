package org.cairndb.client.collections;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.TransactionManager;

/**
 * Random operation sequences on {@link PersistentMap} against {@link LinkedHashMap} (its
 * iteration-order contract: insertion order) and on {@link PersistentList} against
 * {@link ArrayList}: results, exceptions, iteration order, changes through views and
 * iterators, and {@code equals}, {@code hashCode} and {@code toString} in both directions
 * (also against HashMap, TreeMap and LinkedList, which equal them by contract). Random
 * RELOADs commit and turn the objects into ghosts; every try ends with a reload from
 * storage in a fresh connection, so every change must also have been registered.
 */
class CollectionsModelTest {
    enum MapAct {
        PUT,
        REMOVE,
        GET,
        CONTAINS,
        PUT_IF_ABSENT,
        MERGE,
        COMPUTE_IF_ABSENT,
        COMPUTE,
        GET_OR_DEFAULT,
        KEYS_REMOVE,
        VALUES_REMOVE,
        ENTRIES_REMOVE,
        ITERATE_REMOVE,
        SET_VALUE,
        REPLACE_ALL,
        REMOVE_IF_VALUE,
        SIZE,
        ITERATE,
        CLEAR,
        RELOAD
    }

    enum ListAct {
        ADD,
        ADD_AT,
        SET,
        REMOVE_AT,
        REMOVE_OBJECT,
        GET,
        INDEX_OF,
        CONTAINS,
        ADD_ALL_AT,
        SUBLIST_CLEAR,
        SUBLIST_SET,
        ITERATE_REMOVE,
        LIST_ITERATOR_ADD_SET,
        REMOVE_IF,
        SORT,
        REPLACE_ALL,
        SIZE,
        CLEAR,
        RELOAD
    }

    record Op<A>(A act, int a, int b) {}

    @Provide
    Arbitrary<List<Op<MapAct>>> mapOps() {
        Arbitrary<MapAct> acts = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(25, Arbitraries.just(MapAct.PUT)),
                net.jqwik.api.Tuple.of(25, Arbitraries.of(MapAct.class)));
        return Combinators.combine(
                        acts,
                        Arbitraries.integers().between(0, 30),
                        Arbitraries.integers().between(0, 9))
                .as((MapAct a, Integer x, Integer y) -> new Op<>(a, x, y))
                .list()
                .ofMinSize(5)
                .ofMaxSize(60);
    }

    @Provide
    Arbitrary<List<Op<ListAct>>> listOps() {
        Arbitrary<ListAct> acts = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(25, Arbitraries.just(ListAct.ADD)),
                net.jqwik.api.Tuple.of(25, Arbitraries.of(ListAct.class)));
        return Combinators.combine(
                        acts,
                        Arbitraries.integers().between(-1, 12),
                        Arbitraries.integers().between(0, 9))
                .as((ListAct a, Integer x, Integer y) -> new Op<>(a, x, y))
                .list()
                .ofMinSize(5)
                .ofMaxSize(60);
    }

    @Property(tries = 60)
    void persistentMap_behavesAsLinkedHashMap(@ForAll("mapOps") List<Op<MapAct>> ops) {
        try (Database db = Database.open("temp:")) {
            TransactionManager tm = db.transactionManager();
            Connection c = db.open();
            PersistentMap<Integer, Integer> map = new PersistentMap<>();
            c.root().put("map", map);
            LinkedHashMap<Integer, Integer> model = new LinkedHashMap<>();
            for (Op<MapAct> op : ops) {
                if (op.act() == MapAct.RELOAD) {
                    tm.commit();
                    c.cacheMinimize();
                } else {
                    assertThat(outcome(() -> mapAct(map, op))).as("%s", op).isEqualTo(outcome(() -> mapAct(model, op)));
                }
                agree(map, model);
            }
            tm.commit();
            c.close();
            try (Connection fresh = db.open()) {
                agree((PersistentMap<?, ?>) fresh.root().get("map"), model);
                tm.abort();
            }
        }
    }

    @Property(tries = 60)
    void persistentList_behavesAsArrayList(@ForAll("listOps") List<Op<ListAct>> ops) {
        try (Database db = Database.open("temp:")) {
            TransactionManager tm = db.transactionManager();
            Connection c = db.open();
            PersistentList<Integer> list = new PersistentList<>();
            c.root().put("list", list);
            ArrayList<Integer> model = new ArrayList<>();
            for (Op<ListAct> op : ops) {
                if (op.act() == ListAct.RELOAD) {
                    tm.commit();
                    c.cacheMinimize();
                } else {
                    assertThat(outcome(() -> listAct(list, op)))
                            .as("%s", op)
                            .isEqualTo(outcome(() -> listAct(model, op)));
                }
                agree(list, model);
            }
            tm.commit();
            c.close();
            try (Connection fresh = db.open()) {
                agree((PersistentList<?>) fresh.root().get("list"), model);
                tm.abort();
            }
        }
    }

    static void agree(Map<?, ?> persistent, LinkedHashMap<?, ?> jdk) {
        for (Map<?, ?> other : List.of(jdk, new HashMap<>(jdk), new TreeMap<>(jdk))) {
            assertThat(persistent.equals(other))
                    .as("persistent.equals(%s)", other.getClass().getSimpleName())
                    .isTrue();
            assertThat(other.equals(persistent))
                    .as("%s.equals(persistent)", other.getClass().getSimpleName())
                    .isTrue();
        }
        assertThat(persistent.hashCode()).isEqualTo(jdk.hashCode());
        assertThat(persistent.toString()).isEqualTo(jdk.toString());
        assertThat(new ArrayList<>(persistent.entrySet())).isEqualTo(new ArrayList<>(jdk.entrySet()));
        assertThat(persistent.keySet()).isEqualTo(jdk.keySet());
        assertThat(jdk.entrySet().equals(persistent.entrySet())).isTrue();
        assertThat(persistent.keySet().hashCode()).isEqualTo(jdk.keySet().hashCode());
        assertThat(new ArrayList<>(persistent.values())).isEqualTo(new ArrayList<>(jdk.values()));
    }

    static void agree(List<?> persistent, ArrayList<?> jdk) {
        for (List<?> other : List.of(jdk, new LinkedList<>(jdk))) {
            assertThat(persistent.equals(other))
                    .as("persistent.equals(%s)", other.getClass().getSimpleName())
                    .isTrue();
            assertThat(other.equals(persistent))
                    .as("%s.equals(persistent)", other.getClass().getSimpleName())
                    .isTrue();
        }
        assertThat(persistent.hashCode()).isEqualTo(jdk.hashCode());
        assertThat(persistent.toString()).isEqualTo(jdk.toString());
        assertThat(persistent.subList(0, persistent.size() / 2)).isEqualTo(jdk.subList(0, jdk.size() / 2));
    }

    interface Action {
        Object run();
    }

    /** The result, with entries made plain, or the class of what was thrown. */
    static Object outcome(Action a) {
        try {
            Object r = a.run();
            if (r instanceof List<?> l) {
                return l.stream()
                        .map(x -> x instanceof Map.Entry<?, ?> e
                                ? new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue())
                                : x)
                        .toList();
            }
            return r;
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }

    static Object mapAct(Map<Integer, Integer> m, Op<MapAct> op) {
        int k = op.a(), v = op.b();
        return switch (op.act()) {
            case PUT -> m.put(k, v);
            case REMOVE -> m.remove(k);
            case GET -> m.get(k);
            case CONTAINS -> List.of(m.containsKey(k), m.containsValue(v));
            case PUT_IF_ABSENT -> m.putIfAbsent(k, v);
            case MERGE -> m.merge(k, v, Integer::sum);
            case COMPUTE_IF_ABSENT -> m.computeIfAbsent(k, x -> x + v);
            case COMPUTE -> m.compute(k, (x, old) -> old == null ? v : old % 2 == 0 ? null : old + 1);
            case GET_OR_DEFAULT -> m.getOrDefault(k, -1);
            case KEYS_REMOVE -> m.keySet().remove(k);
            case VALUES_REMOVE -> m.values().remove(v);
            case ENTRIES_REMOVE -> m.entrySet().remove(new AbstractMap.SimpleImmutableEntry<>(k, v));
            case ITERATE_REMOVE -> {
                List<Object> seen = new ArrayList<>();
                for (Iterator<Integer> it = m.keySet().iterator(); it.hasNext(); ) {
                    Integer key = it.next();
                    seen.add(key);
                    if (key % 3 == v % 3) it.remove();
                }
                yield seen;
            }
            case SET_VALUE -> {
                for (Map.Entry<Integer, Integer> e : m.entrySet())
                    if (e.getKey() % 2 == v % 2) e.setValue(e.getValue() + 1);
                yield new ArrayList<>(m.entrySet());
            }
            case REPLACE_ALL -> {
                m.replaceAll((key, old) -> key % 4 == v % 4 ? old * 2 : old);
                yield new ArrayList<>(m.entrySet());
            }
            case REMOVE_IF_VALUE -> m.values().removeIf(x -> x == v);
            case SIZE -> List.of(m.size(), m.isEmpty());
            case ITERATE -> new ArrayList<>(m.entrySet());
            case CLEAR -> {
                m.clear();
                yield m.size();
            }
            case RELOAD -> throw new AssertionError("handled by the caller");
        };
    }

    static Object listAct(List<Integer> l, Op<ListAct> op) {
        int i = op.a(), x = op.b();
        return switch (op.act()) {
            case ADD -> l.add(x);
            case ADD_AT -> {
                l.add(i, x);
                yield l.size();
            }
            case SET -> l.set(i, x);
            case REMOVE_AT -> l.remove(i);
            case REMOVE_OBJECT -> l.remove(Integer.valueOf(x));
            case GET -> l.get(i);
            case INDEX_OF -> List.of(l.indexOf(x), l.lastIndexOf(x));
            case CONTAINS -> List.of(l.contains(x), l.containsAll(List.of(x, i)));
            case ADD_ALL_AT -> l.addAll(i, List.of(x, x + 1));
            case SUBLIST_CLEAR -> {
                l.subList(Math.max(0, i / 2), i).clear();
                yield l.size();
            }
            case SUBLIST_SET -> l.subList(0, Math.max(0, i)).set(0, x);
            case ITERATE_REMOVE -> {
                List<Integer> seen = new ArrayList<>();
                for (Iterator<Integer> it = l.iterator(); it.hasNext(); ) {
                    Integer e = it.next();
                    seen.add(e);
                    if (e % 3 == x % 3) it.remove();
                }
                yield seen;
            }
            case LIST_ITERATOR_ADD_SET -> {
                ListIterator<Integer> it = l.listIterator(i);
                it.add(x);
                if (it.hasNext()) {
                    it.next();
                    it.set(x + 10);
                }
                yield l.size();
            }
            case REMOVE_IF -> l.removeIf(e -> e == x);
            case SORT -> {
                l.sort(Comparator.reverseOrder());
                yield l.size();
            }
            case REPLACE_ALL -> {
                l.replaceAll(e -> e + x);
                yield l.size();
            }
            case SIZE -> List.of(l.size(), l.isEmpty());
            case CLEAR -> {
                l.clear();
                yield l.size();
            }
            case RELOAD -> throw new AssertionError("handled by the caller");
        };
    }
}
