package org.cairndb.client.btree;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cairndb.client.Persistent;
import org.cairndb.client.conflict.Merge;
import org.cairndb.client.conflict.Resolvable;

/**
 * An inner node of a {@link BTreeMap}: children (buckets or inner nodes) and the separators
 * between them, stored as its own record. Child {@code i} holds the keys {@code k} with
 * {@code seps[i-1] < k <= seps[i]} (separators are inclusive upper bounds of the child on
 * their left, which lets an append split use the last key of the full bucket: a separator
 * both concurrent appenders compute alike).
 *
 * <h2>Conflict resolution</h2>
 * Two transactions that each added children merge when their additions fall into different
 * gaps between the ancestor's children, or are the very same additions (two appenders that
 * performed the same append split). Anything else (removals, a split of this node) is a
 * conflict. A side that adds a child after child {@code X} has always written {@code X}
 * too (it split {@code X}), so a key inserted into {@code X} concurrently is checked
 * against {@code X}'s new bound by the bucket's own resolution.
 */
final class InnerNode extends Persistent implements Resolvable<InnerNode> {
    ArrayList<Object> seps = new ArrayList<>();
    ArrayList<Persistent> children = new ArrayList<>();
    boolean plain;

    InnerNode(boolean plain) {
        this.plain = plain;
    }

    int childCount() {
        activate();
        return children.size();
    }

    Persistent child(int i) {
        activate();
        return children.get(i);
    }

    Object sep(int i) {
        activate();
        return seps.get(i);
    }

    /** Index of the child that holds {@code key}: the number of separators below it. */
    int childIndex(Object key) {
        activate();
        int lo = 0, hi = seps.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Keys.cmp(seps.get(mid), key) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Index of the first child that may hold keys greater than {@code key}: the number of separators at or below it. */
    int childIndexAfter(Object key) {
        activate();
        int lo = 0, hi = seps.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Keys.cmp(seps.get(mid), key) <= 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Puts {@code right} after child {@code i}, separated by {@code sep}. */
    void insertChild(int i, Object sep, Persistent right) {
        changing();
        seps.add(i, sep);
        children.add(i + 1, right);
    }

    void removeChild(int i) {
        changing();
        children.remove(i);
        if (!seps.isEmpty()) seps.remove(i > 0 ? i - 1 : 0);
    }

    /** Moves children from {@code m} on into {@code right}; returns the separator promoted to the parent. */
    Object splitInto(int m, InnerNode right) {
        changing();
        right.changing();
        right.children.addAll(children.subList(m, children.size()));
        right.seps.addAll(seps.subList(m, seps.size()));
        Object promoted = seps.get(m - 1);
        children.subList(m, children.size()).clear();
        seps.subList(m - 1, seps.size()).clear();
        return promoted;
    }

    void init(List<Persistent> kids, List<Object> separators) {
        changing();
        children.addAll(kids);
        seps.addAll(separators);
    }

    @Override
    public InnerNode resolve(InnerNode a, InnerNode c, InnerNode m) {
        if (a == null || a.plain) return null;
        Map<Integer, List<Object[]>> addC = additions(a, c), addM = additions(a, m);
        if (addC == null || addM == null) return null;
        ArrayList<Persistent> kids = new ArrayList<>();
        ArrayList<Object> separators = new ArrayList<>();
        for (int g = 0; g < a.children.size(); g++) {
            if (g > 0) separators.add(a.seps.get(g - 1));
            kids.add(a.children.get(g));
            List<Object[]> fromC = addC.get(g), fromM = addM.get(g);
            List<Object[]> take;
            if (fromC != null && fromM != null) {
                if (!sameEntries(fromC, fromM)) return null;
                take = fromC;
            } else {
                take = fromC != null ? fromC : fromM;
            }
            if (take == null) continue;
            for (Object[] e : take) {
                separators.add(e[0]);
                kids.add((Persistent) e[1]);
            }
        }
        for (int i = 1; i < separators.size(); i++) {
            if (Keys.cmp(separators.get(i - 1), separators.get(i)) >= 0) return null;
        }
        c.children = kids;
        c.seps = separators;
        return c;
    }

    /** Entries {sep, child} that {@code x} added after each ancestor child, or null if it removed or changed any. */
    private static Map<Integer, List<Object[]>> additions(InnerNode a, InnerNode x) {
        if (x.children.isEmpty() || a.children.isEmpty() || x.children.get(0) != a.children.get(0)) return null;
        Map<Integer, List<Object[]>> out = new HashMap<>();
        int j = 1; // next ancestor entry to match
        for (int i = 1; i < x.children.size(); i++) {
            Persistent child = x.children.get(i);
            Object sep = x.seps.get(i - 1);
            if (j < a.children.size() && child == a.children.get(j)) {
                if (!Merge.sameState(sep, a.seps.get(j - 1))) return null;
                j++;
            } else {
                out.computeIfAbsent(j - 1, g -> new ArrayList<>()).add(new Object[] {sep, child});
            }
        }
        return j == a.children.size() ? out : null;
    }

    private static boolean sameEntries(List<Object[]> x, List<Object[]> y) {
        if (x.size() != y.size()) return false;
        for (int i = 0; i < x.size(); i++) {
            if (x.get(i)[1] != y.get(i)[1] || Keys.cmp(x.get(i)[0], y.get(i)[0]) != 0) return false;
        }
        return true;
    }
}
