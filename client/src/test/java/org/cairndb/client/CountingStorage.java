package org.cairndb.client;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageView;

/**
 * A real storage that counts the records its views load (and remembers which oids), so a
 * test can tell how much of a structure an operation read.
 */
public final class CountingStorage {
    public final Storage storage;
    private final AtomicInteger loads = new AtomicInteger();
    private final Set<Long> loaded = ConcurrentHashMap.newKeySet();

    public CountingStorage(Storage backing) {
        this.storage = (Storage) proxy(Storage.class, backing, (m, args) -> {
            Object r = call(m, backing, args);
            return m.getName().equals("openView") ? countingView((StorageView) r) : r;
        });
    }

    /** Records loaded since the last reset. */
    public int loads() {
        return loads.get();
    }

    /** The distinct oids loaded since the last reset. */
    public Set<Long> loadedOids() {
        return Set.copyOf(loaded);
    }

    public void reset() {
        loads.set(0);
        loaded.clear();
    }

    private StorageView countingView(StorageView v) {
        return (StorageView) proxy(StorageView.class, v, (m, args) -> {
            if (m.getName().equals("load")) {
                loads.incrementAndGet();
                loaded.add((Long) args[0]);
            }
            return call(m, v, args);
        });
    }

    private interface Handler {
        Object handle(java.lang.reflect.Method m, Object[] args) throws Throwable;
    }

    private static Object proxy(Class<?> type, Object target, Handler h) {
        return Proxy.newProxyInstance(CountingStorage.class.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            if (m.getDeclaringClass() == Object.class) return m.invoke(target, args);
            return h.handle(m, args);
        });
    }

    private static Object call(java.lang.reflect.Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
