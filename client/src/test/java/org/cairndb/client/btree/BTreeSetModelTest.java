package org.cairndb.client.btree;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
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
 * Random operation sequences on a {@link BTreeSet} and a {@link TreeSet}, each through the
 * same random chain of views (sub, head, tail and descending sets): results, exceptions and
 * iteration agree, and so do {@code equals}, {@code hashCode} and {@code toString} both ways.
 * Every try ends with a reload from storage in a fresh connection; random RELOADs commit and
 * turn the tree into ghosts in between.
 */
class BTreeSetModelTest {
    enum View {
        DESCENDING,
        SUB,
        HEAD,
        TAIL
    }

    enum Act {
        ADD,
        REMOVE,
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
        DESCENDING_ITERATE_REMOVE,
        ADD_ALL,
        RETAIN_ALL,
        CLEAR,
        RELOAD
    }

    record ViewStep(View view, int a, boolean ai, int b, boolean bi) {}

    record Op(List<ViewStep> views, Act act, int e) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> elements = Arbitraries.integers().between(0, 50);
        Arbitrary<ViewStep> step = Combinators.combine(
                        Arbitraries.of(View.class),
                        elements,
                        Arbitraries.of(true, false),
                        elements,
                        Arbitraries.of(true, false))
                .as(ViewStep::new);
        Arbitrary<Act> acts = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(30, Arbitraries.just(Act.ADD)),
                net.jqwik.api.Tuple.of(25, Arbitraries.of(Act.class)));
        return Combinators.combine(step.list().ofMaxSize(3), acts, elements)
                .as(Op::new)
                .list()
                .ofMinSize(10)
                .ofMaxSize(80);
    }

    @Property(tries = 60)
    void operationsThroughViews_matchTreeSet(
            @ForAll("ops") List<Op> ops, @ForAll @IntRange(min = 2, max = 5) int bucketSize) {
        try (Database db = Database.open("temp:")) {
            TransactionManager tm = db.transactionManager();
            Connection c = db.open();
            BTreeSet<Integer> set = new BTreeSet<>(bucketSize, 3);
            c.root().put("set", set);
            TreeSet<Integer> model = new TreeSet<>();
            for (Op op : ops) {
                if (op.act() == Act.RELOAD) {
                    tm.commit();
                    c.cacheMinimize();
                } else {
                    assertThat(outcome(set, op)).as("%s", op).isEqualTo(outcome(model, op));
                }
                set.checkInvariants();
                agree(set, model);
                if (view(model, op.views()) instanceof NavigableSet<?> mv)
                    agree((NavigableSet<?>) view(set, op.views()), mv);
            }
            tm.commit();
            c.close();
            try (Connection fresh = db.open()) {
                @SuppressWarnings("unchecked")
                BTreeSet<Integer> reloaded = (BTreeSet<Integer>) fresh.root().get("set");
                reloaded.checkInvariants();
                agree(reloaded, model);
                agree(reloaded.descendingSet(), model.descendingSet());
                tm.abort();
            }
        }
    }

    static void agree(NavigableSet<?> persistent, NavigableSet<?> jdk) {
        assertThat(persistent.equals(jdk))
                .as("persistent.equals(jdk): %s vs %s", persistent, jdk)
                .isTrue();
        assertThat(jdk.equals(persistent)).as("jdk.equals(persistent)").isTrue();
        assertThat(persistent.hashCode()).isEqualTo(jdk.hashCode());
        assertThat(persistent.toString()).isEqualTo(jdk.toString());
    }

    static Object outcome(NavigableSet<Integer> s, Op op) {
        try {
            return act(view(s, op.views()), op);
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }

    static Object view(NavigableSet<Integer> s, List<ViewStep> steps) {
        try {
            NavigableSet<Integer> v = s;
            for (ViewStep st : steps) {
                v = switch (st.view()) {
                    case DESCENDING -> v.descendingSet();
                    case SUB -> v.subSet(st.a(), st.ai(), st.b(), st.bi());
                    case HEAD -> v.headSet(st.b(), st.bi());
                    case TAIL -> v.tailSet(st.a(), st.ai());
                };
            }
            return v;
        } catch (IllegalArgumentException e) {
            return e.getClass();
        }
    }

    @SuppressWarnings("unchecked")
    static Object act(Object view, Op op) {
        if (!(view instanceof NavigableSet<?>)) return view;
        NavigableSet<Integer> v = (NavigableSet<Integer>) view;
        int e = op.e();
        return switch (op.act()) {
            case ADD -> v.add(e);
            case REMOVE -> v.remove(e);
            case CONTAINS -> v.contains(e);
            case FIRST -> v.first();
            case LAST -> v.last();
            case CEILING -> String.valueOf(v.ceiling(e));
            case FLOOR -> String.valueOf(v.floor(e));
            case HIGHER -> String.valueOf(v.higher(e));
            case LOWER -> String.valueOf(v.lower(e));
            case POLL_FIRST -> String.valueOf(v.pollFirst());
            case POLL_LAST -> String.valueOf(v.pollLast());
            case SIZE -> List.of(v.size(), v.isEmpty());
            case ITERATE -> new ArrayList<>(v);
            case ITERATE_REMOVE -> iterateRemove(v.iterator(), e, 3);
            case DESCENDING_ITERATE_REMOVE -> iterateRemove(v.descendingIterator(), e, 4);
            case ADD_ALL -> v.addAll(List.of(e, e + 1, e + 2));
            case RETAIN_ALL -> v.retainAll(List.of(e, e + 2, e + 4, e + 6));
            case CLEAR -> {
                v.clear();
                yield v.size();
            }
            case RELOAD -> throw new AssertionError("handled by the caller");
        };
    }

    private static List<Integer> iterateRemove(Iterator<Integer> it, int e, int modulus) {
        List<Integer> seen = new ArrayList<>();
        while (it.hasNext()) {
            Integer x = it.next();
            seen.add(x);
            if (x % modulus == e % modulus) it.remove();
        }
        return seen;
    }
}
