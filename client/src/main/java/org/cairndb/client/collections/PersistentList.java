package org.cairndb.client.collections;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.RandomAccess;
import org.cairndb.client.Persistent;

/**
 * A list stored as one record (elements inline; persistent elements as references).
 * It behaves as an {@link ArrayList}: its iterators, list iterators and sub-lists are live
 * and writable (every change through them registers the list as changed), and
 * {@code equals}, {@code hashCode} and {@code toString} are those of any {@link List}.
 * Concurrent changes conflict (positions have no meaning to merge); for large or
 * concurrently appended sequences use a {@link org.cairndb.client.btree.BTreeMap} keyed by
 * sequence number or time.
 */
public class PersistentList<E> extends Persistent implements List<E>, RandomAccess {
    private ArrayList<E> list = new ArrayList<>();

    public PersistentList() {}

    public PersistentList(Collection<? extends E> initial) {
        list.addAll(initial);
    }

    /** A list view whose changes go through changing(); made on first use (ghosts are made without constructors). */
    private transient List<E> view;

    private List<E> newView() {
        // every operation is the list's own, which activates or registers the change
        return new AbstractList<E>() {
            @Override
            public E get(int index) {
                return PersistentList.this.get(index);
            }

            @Override
            public int size() {
                return PersistentList.this.size();
            }

            @Override
            public E set(int index, E element) {
                return PersistentList.this.set(index, element);
            }

            @Override
            public void add(int index, E element) {
                PersistentList.this.add(index, element);
            }

            @Override
            public E remove(int index) {
                return PersistentList.this.remove(index);
            }
        };
    }

    @Override
    public int size() {
        activate();
        return list.size();
    }

    @Override
    public boolean isEmpty() {
        activate();
        return list.isEmpty();
    }

    @Override
    public boolean contains(Object o) {
        activate();
        return list.contains(o);
    }

    @Override
    public java.util.Iterator<E> iterator() {
        return view().iterator();
    }

    @Override
    public Object[] toArray() {
        activate();
        return list.toArray();
    }

    @Override
    public <T> T[] toArray(T[] a) {
        activate();
        return list.toArray(a);
    }

    @Override
    public boolean add(E e) {
        changing();
        return list.add(e);
    }

    @Override
    public boolean remove(Object o) {
        activate();
        int i = list.indexOf(o);
        if (i < 0) return false;
        changing();
        list.remove(i);
        return true;
    }

    @Override
    public boolean containsAll(Collection<?> c) {
        activate();
        return list.containsAll(c);
    }

    @Override
    public boolean addAll(Collection<? extends E> c) {
        changing();
        return list.addAll(c);
    }

    @Override
    public boolean addAll(int index, Collection<? extends E> c) {
        changing();
        return list.addAll(index, c);
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        changing();
        return list.removeAll(c);
    }

    @Override
    public boolean retainAll(Collection<?> c) {
        changing();
        return list.retainAll(c);
    }

    @Override
    public void clear() {
        changing();
        list.clear();
    }

    @Override
    public E get(int index) {
        activate();
        return list.get(index);
    }

    @Override
    public E set(int index, E element) {
        changing();
        return list.set(index, element);
    }

    @Override
    public void add(int index, E element) {
        changing();
        list.add(index, element);
    }

    @Override
    public E remove(int index) {
        changing();
        return list.remove(index);
    }

    @Override
    public int indexOf(Object o) {
        activate();
        return list.indexOf(o);
    }

    @Override
    public int lastIndexOf(Object o) {
        activate();
        return list.lastIndexOf(o);
    }

    @Override
    public java.util.ListIterator<E> listIterator() {
        return view().listIterator();
    }

    @Override
    public java.util.ListIterator<E> listIterator(int index) {
        return view().listIterator(index);
    }

    @Override
    public List<E> subList(int from, int to) {
        return view().subList(from, to);
    }

    private List<E> view() {
        activate();
        if (view == null) view = newView();
        return view;
    }

    /** As {@link java.util.AbstractList#equals}: any {@link List} with equal elements in the same order. */
    @Override
    public boolean equals(Object o) {
        if (o == this) return true;
        activate();
        return list.equals(o);
    }

    /** As {@link java.util.AbstractList#hashCode}. */
    @Override
    public int hashCode() {
        activate();
        return list.hashCode();
    }

    /** As {@link ArrayList#toString}: {@code [a, b]}. */
    @Override
    public String toString() {
        activate();
        return list.toString();
    }
}
