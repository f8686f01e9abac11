package org.cairndb.storage;

import java.util.Iterator;

/** An iterator over storage contents that may hold resources (a database cursor, a file). */
public interface CloseableIterator<T> extends Iterator<T>, AutoCloseable {
    @Override
    void close();

    static <T> CloseableIterator<T> of(Iterator<T> it) {
        return new CloseableIterator<>() {
            public boolean hasNext() {
                return it.hasNext();
            }

            public T next() {
                return it.next();
            }

            public void close() {}
        };
    }
}
