package org.cairndb.client.btree;

import java.util.AbstractSet;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.SortedSet;

/**
 * The keys of a {@link NavigableMap} view of a {@link BTreeMap} as a live {@link NavigableSet}:
 * what {@code navigableKeySet()} and {@code descendingKeySet()} return, and the whole of a
 * {@link BTreeSet} and its sub-sets. Removals write through. A map's key set refuses
 * {@code add} (as the JDK's do); a set's accepts it, storing {@link Boolean#TRUE} as the value,
 * and refuses elements out of its range with {@link IllegalArgumentException}.
 */
final class KeySetView<E> extends AbstractSet<E> implements NavigableSet<E> {
    private final NavigableMap<E, ?> m;
    private final boolean addable;

    KeySetView(NavigableMap<E, ?> m, boolean addable) {
        this.m = m;
        this.addable = addable;
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean add(E e) {
        if (!addable) throw new UnsupportedOperationException("a map's key set cannot add keys; put them into the map");
        return ((NavigableMap<E, Object>) m).put(e, Boolean.TRUE) == null;
    }

    @Override
    public Iterator<E> iterator() {
        Iterator<? extends Map.Entry<E, ?>> it = m.entrySet().iterator();
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
    }

    @Override
    public int size() {
        return m.size();
    }

    @Override
    public boolean isEmpty() {
        return m.isEmpty();
    }

    @Override
    public boolean contains(Object o) {
        return m.containsKey(o);
    }

    @Override
    public void clear() {
        m.clear();
    }

    @Override
    public boolean remove(Object o) {
        if (!m.containsKey(o)) return false;
        m.remove(o);
        return true;
    }

    @Override
    public E lower(E e) {
        return m.lowerKey(e);
    }

    @Override
    public E floor(E e) {
        return m.floorKey(e);
    }

    @Override
    public E ceiling(E e) {
        return m.ceilingKey(e);
    }

    @Override
    public E higher(E e) {
        return m.higherKey(e);
    }

    @Override
    public E first() {
        return m.firstKey();
    }

    @Override
    public E last() {
        return m.lastKey();
    }

    @Override
    public Comparator<? super E> comparator() {
        return m.comparator();
    }

    @Override
    public E pollFirst() {
        Map.Entry<E, ?> e = m.pollFirstEntry();
        return e == null ? null : e.getKey();
    }

    @Override
    public E pollLast() {
        Map.Entry<E, ?> e = m.pollLastEntry();
        return e == null ? null : e.getKey();
    }

    @Override
    public NavigableSet<E> descendingSet() {
        return new KeySetView<>(m.descendingMap(), addable);
    }

    @Override
    public Iterator<E> descendingIterator() {
        return descendingSet().iterator();
    }

    @Override
    public NavigableSet<E> subSet(E fromElement, boolean fromInclusive, E toElement, boolean toInclusive) {
        return new KeySetView<>(m.subMap(fromElement, fromInclusive, toElement, toInclusive), addable);
    }

    @Override
    public NavigableSet<E> headSet(E toElement, boolean inclusive) {
        return new KeySetView<>(m.headMap(toElement, inclusive), addable);
    }

    @Override
    public NavigableSet<E> tailSet(E fromElement, boolean inclusive) {
        return new KeySetView<>(m.tailMap(fromElement, inclusive), addable);
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
}
