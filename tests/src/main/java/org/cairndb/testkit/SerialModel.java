package org.cairndb.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.cairndb.client.Persistent;
import org.cairndb.storage.Tid;

/**
 * The serial model of a run: operations replayed on a transient instance from the initial-state
 * supplier, and the search for a serial order of committed transactions that explains a stored
 * state.
 *
 * <h2>Which orders are allowed</h2>
 * A transaction must come after every transaction that committed before it began (it saw
 * them); transactions that overlapped may come in either order. That is what snapshot reads
 * plus first-committer-wins plus merging promise: a merge of concurrent changes is correct
 * when some such order gives the same state. A committed transaction that wrote nothing
 * serializes at its snapshot and is left out of every order.
 *
 * <h2>Alternatives rejected</h2>
 * Commit order only: too strict, it calls correct merges wrong (a transaction that only read
 * a key another one wrote serializes before it, not at its own commit). Any permutation: too
 * lax, it would accept a state no snapshot could have led to. Cloning model states instead
 * of replaying from the start: persistent classes are not cloneable in general, and
 * schedules are short.
 */
final class SerialModel<S extends Persistent> {
    /** Upper bound of orders tried when looking for a serial order (schedules are short; this is never near). */
    private static final int SEARCH_BUDGET = 20_000;

    /** An operation applied, with its argument. */
    record Applied(Operation<?> op, Object arg) {}

    /**
     * A committed transaction: its position among commits, connection, tid (ZERO when it wrote
     * nothing), the number of commits its snapshot saw, and its operations.
     */
    record Committed(
            int index,
            int conn,
            long tid,
            int snapshot,
            List<Applied> ops,
            boolean nonMergeable,
            boolean allCommutative) {
        boolean wrote() {
            return tid != Tid.ZERO;
        }
    }

    private final ConflictCheck<S> check;

    SerialModel(ConflictCheck<S> check) {
        this.check = check;
    }

    /** The observed value of the initial state with {@code ops} applied one after another. */
    @SuppressWarnings("unchecked")
    Object observe(List<Applied> ops) {
        S model = check.initial.get();
        for (Applied a : ops) ((Operation<S>) a.op()).apply(model, a.arg());
        return check.observer.apply(model);
    }

    static List<Applied> opsOf(List<Committed> order) {
        List<Applied> ops = new ArrayList<>();
        for (Committed w : order) ops.addAll(w.ops());
        return ops;
    }

    /** The committed transactions that wrote, in commit order. */
    static List<Committed> writers(List<Committed> committed) {
        List<Committed> out = new ArrayList<>();
        for (Committed w : committed) if (w.wrote()) out.add(w);
        return out;
    }

    /**
     * A serial order of the writers explaining {@code stored}, or null: the previous witness extended by the
     * newest commit first, then commit order, then a bounded search over allowed orders.
     */
    List<Committed> findOrder(List<Committed> committed, List<Committed> witness, Object stored) {
        List<Committed> writers = writers(committed);
        List<Committed> preferred = new ArrayList<>(witness);
        Committed newest = committed.get(committed.size() - 1);
        if (newest.wrote()) preferred.add(newest);
        if (Objects.equals(observe(opsOf(preferred)), stored)) return preferred;
        if (Objects.equals(observe(opsOf(writers)), stored)) return writers;
        int[] budget = {SEARCH_BUDGET};
        Set<Object> seen = new HashSet<>();
        List<Committed> order = new ArrayList<>();
        return search(writers, order, new boolean[writers.size()], stored, seen, budget) ? order : null;
    }

    private boolean search(
            List<Committed> writers,
            List<Committed> order,
            boolean[] placed,
            Object stored,
            Set<Object> seen,
            int[] budget) {
        if (order.size() == writers.size()) return Objects.equals(observe(opsOf(order)), stored);
        for (int i = 0; i < writers.size(); i++) {
            if (placed[i] || !mayComeNext(writers, placed, i)) continue;
            if (--budget[0] < 0) return false;
            order.add(writers.get(i));
            placed[i] = true;
            if (seen.add(List.of(Arrays.toString(placed), String.valueOf(observe(opsOf(order)))))
                    && search(writers, order, placed, stored, seen, budget)) {
                return true;
            }
            placed[i] = false;
            order.remove(order.size() - 1);
        }
        return false;
    }

    /** Writer i may come next when every writer that committed before i began is placed already. */
    private static boolean mayComeNext(List<Committed> writers, boolean[] placed, int i) {
        Committed w = writers.get(i);
        for (int j = 0; j < writers.size(); j++) {
            if (!placed[j] && j != i && writers.get(j).index() < w.snapshot()) return false;
        }
        return true;
    }
}
