package org.cairndb.client.btree;

import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.SortedSet;
import org.cairndb.client.Persistent;

/**
 * A sorted set for many elements, kept in a {@link BTreeMap} (same scaling and conflict
 * behaviour: concurrent additions of different elements merge, appends of increasing
 * elements mostly commit without conflict). Its own record never changes after creation.
 *
 * <p>It is a {@link NavigableSet} that behaves as {@link java.util.TreeSet} (natural order):
 * sub-set, head-set, tail-set and descending views are live, loading only the buckets they
 * walk, and accept additions within their range ({@link IllegalArgumentException} outside it).
 * {@code equals}, {@code hashCode} and {@code toString} are those of any {@link java.util.Set}
 * and read the whole tree.
 */
public class BTreeSet<E extends Comparable<? super E>> extends Persistent implements NavigableSet<E> {
    private BTreeMap<E, Boolean> map;

    public BTreeSet() {
        this.map = new BTreeMap<>();
    }

    /** A set whose tree has buckets of {@code bucketSize} elements and inner nodes of {@code innerSize} children. */
    public BTreeSet(int bucketSize, int innerSize) {
        this.map = new BTreeMap<>(bucketSize, innerSize);
    }

    private BTreeMap<E, Boolean> map() {
        activate();
        return map;
    }

    private NavigableSet<E> keys() {
        return new KeySetView<>(map(), true);
    }

    /** @return true if the element was not there yet */
    @Override
    public boolean add(E e) {
        return map().put(e, Boolean.TRUE) == null;
    }

    @Override
    public boolean remove(Object o) {
        return map().remove(o) != null;
    }

    @Override
    public boolean contains(Object o) {
        return map().containsKey(o);
    }

    @Override
    public int size() {
        return map().size();
    }

    @Override
    public boolean isEmpty() {
        return map().isEmpty();
    }

    @Override
    public void clear() {
        map().clear();
    }

    @Override
    public Iterator<E> iterator() {
        return keys().iterator();
    }

    @Override
    public Object[] toArray() {
        return keys().toArray();
    }

    @Override
    public <T> T[] toArray(T[] a) {
        return keys().toArray(a);
    }

    @Override
    public boolean containsAll(Collection<?> c) {
        return keys().containsAll(c);
    }

    @Override
    public boolean addAll(Collection<? extends E> c) {
        return keys().addAll(c);
    }

    @Override
    public boolean retainAll(Collection<?> c) {
        return keys().retainAll(c);
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        return keys().removeAll(c);
    }

    /** @throws java.util.NoSuchElementException when the set is empty */
    @Override
    public E first() {
        return map().firstKey();
    }
    /** @throws java.util.NoSuchElementException when the set is empty */
    @Override
    public E last() {
        return map().lastKey();
    }

    @Override
    public E lower(E e) {
        return map().lowerKey(e);
    }

    @Override
    public E floor(E e) {
        return map().floorKey(e);
    }

    @Override
    public E ceiling(E e) {
        return map().ceilingKey(e);
    }

    @Override
    public E higher(E e) {
        return map().higherKey(e);
    }

    @Override
    public E pollFirst() {
        return keys().pollFirst();
    }

    @Override
    public E pollLast() {
        return keys().pollLast();
    }

    @Override
    public Comparator<? super E> comparator() {
        return null;
    }

    @Override
    public NavigableSet<E> descendingSet() {
        return keys().descendingSet();
    }

    @Override
    public Iterator<E> descendingIterator() {
        return keys().descendingIterator();
    }

    @Override
    public NavigableSet<E> subSet(E fromElement, boolean fromInclusive, E toElement, boolean toInclusive) {
        return keys().subSet(fromElement, fromInclusive, toElement, toInclusive);
    }

    @Override
    public NavigableSet<E> headSet(E toElement, boolean inclusive) {
        return keys().headSet(toElement, inclusive);
    }

    @Override
    public NavigableSet<E> tailSet(E fromElement, boolean inclusive) {
        return keys().tailSet(fromElement, inclusive);
    }

    @Override
    public SortedSet<E> subSet(E fromElement, E toElement) {
        return subSet(fromElement, true, toElement, false);
    }

    @Override
    public SortedSet<E> headSet(E toElement) {
        return headSet(toElement, false);
    }

    @Override
    public SortedSet<E> tailSet(E fromElement) {
        return tailSet(fromElement, true);
    }

    /** Elements with {@code from <= e < to}; a null bound is open. */
    public Iterable<E> range(E from, E to) {
        Iterable<Map.Entry<E, Boolean>> entries = map().range(from, to);
        return () -> {
            Iterator<Map.Entry<E, Boolean>> it = entries.iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public E next() {
                    return it.next().getKey();
                }

                @Override
                public void remove() {
                    it.remove();
                }
            };
        };
    }

    /** The set itself (it is a {@link java.util.Set}); kept for callers from before it was one. */
    public java.util.Set<E> asSet() {
        return this;
    }

    /** As {@link java.util.AbstractSet#equals}: the same elements as {@code o}, any Set (reads the whole tree). */
    @Override
    public boolean equals(Object o) {
        return o == this || keys().equals(o);
    }

    /** As {@link java.util.AbstractSet#hashCode}: the sum of the elements' hash codes (reads the whole tree). */
    @Override
    public int hashCode() {
        return keys().hashCode();
    }

    /** As {@link java.util.AbstractCollection#toString}, e.g. {@code [a, b]} (reads the whole tree). */
    @Override
    public String toString() {
        return keys().toString();
    }

    public void checkInvariants() {
        map().checkInvariants();
    }
}
