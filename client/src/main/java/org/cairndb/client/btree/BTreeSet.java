package org.cairndb.client.btree;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import org.cairndb.client.Persistent;

/**
 * A sorted set for many elements, kept in a {@link BTreeMap} (same scaling and conflict
 * behaviour: concurrent additions of different elements merge, appends of increasing
 * elements mostly commit without conflict). Its own record never changes after creation.
 */
public class BTreeSet<E extends Comparable<? super E>> extends Persistent implements Iterable<E> {
    private BTreeMap<E, Boolean> map;

    public BTreeSet() {
        this.map = new BTreeMap<>();
    }

    private BTreeMap<E, Boolean> map() {
        activate();
        return map;
    }

    /** @return true if the element was not there yet */
    public boolean add(E e) { return map().put(e, Boolean.TRUE) == null; }

    public boolean remove(E e) { return map().remove(e) != null; }

    public boolean contains(E e) { return map().containsKey(e); }

    public int size() { return map().size(); }

    public boolean isEmpty() { return map().isEmpty(); }

    public E first() { return map().firstKey(); }

    public E last() { return map().lastKey(); }

    /** Elements with {@code from <= e < to}; a null bound is open. */
    public Iterable<E> range(E from, E to) {
        Iterable<Map.Entry<E, Boolean>> entries = map().range(from, to);
        return () -> {
            Iterator<Map.Entry<E, Boolean>> it = entries.iterator();
            return new Iterator<>() {
                @Override public boolean hasNext() { return it.hasNext(); }
                @Override public E next() { return it.next().getKey(); }
            };
        };
    }

    @Override
    public Iterator<E> iterator() { return range(null, null).iterator(); }

    /** A read-only {@link java.util.Set} view. */
    public java.util.Set<E> asSet() {
        return new AbstractSet<>() {
            @Override public Iterator<E> iterator() { return BTreeSet.this.iterator(); }
            @Override public int size() { return BTreeSet.this.size(); }
            @SuppressWarnings("unchecked")
            @Override public boolean contains(Object o) { return BTreeSet.this.contains((E) o); }
        };
    }

    public void checkInvariants() { map().checkInvariants(); }
}
