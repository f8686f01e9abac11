package org.cairndb.client;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;

/**
 * A real storage with failures injected at the object layer's seams, as a lost connection
 * makes them happen over cairn:// or postgres://: a view's sync fails (the round trip after a
 * commit), a vote or a finish fails with a chosen exception. Each armed failure fires once.
 */
public final class FaultyStorage {
    /** View syncs to fail from now on (each with a RetryableException, as a lost connection). */
    final AtomicInteger failSyncs = new AtomicInteger();
    /** After every finish that returns, arm this many sync failures. */
    final AtomicInteger failSyncsAfterFinish = new AtomicInteger();
    /** Thrown by the next vote instead of voting (the transaction is aborted). */
    final AtomicReference<RuntimeException> failVote = new AtomicReference<>();
    /** Thrown by the next finish instead of finishing (the transaction is aborted, so: not committed). */
    final AtomicReference<RuntimeException> failFinish = new AtomicReference<>();

    final AtomicInteger finishes = new AtomicInteger();
    /** What {@link Storage#remote()} answers. */
    volatile boolean remote;

    public final Storage storage;
    /** Runs after every finish that returned, before the object layer goes on (e.g. to cut connections then). */
    public volatile Runnable afterFinish;

    public FaultyStorage(Storage backing) {
        this.storage = (Storage) proxy(Storage.class, backing, (m, args) -> {
            if (m.getName().equals("remote")) return remote;
            Object r = call(m, backing, args);
            if (m.getName().equals("begin")) return transaction((StorageTransaction) r);
            if (m.getName().equals("openView")) return view((StorageView) r);
            return r;
        });
    }

    private StorageTransaction transaction(StorageTransaction t) {
        return (StorageTransaction) proxy(StorageTransaction.class, t, (m, args) -> {
            if (m.getName().equals("vote")) {
                RuntimeException e = failVote.getAndSet(null);
                if (e != null) {
                    t.abort();
                    throw e;
                }
            }
            if (m.getName().equals("finish")) {
                RuntimeException e = failFinish.getAndSet(null);
                if (e != null) {
                    t.abort();
                    throw e;
                }
                Object r = call(m, t, args);
                finishes.incrementAndGet();
                Runnable hook = afterFinish;
                if (hook != null) hook.run();
                failSyncs.addAndGet(failSyncsAfterFinish.get());
                return r;
            }
            return call(m, t, args);
        });
    }

    private StorageView view(StorageView v) {
        return (StorageView) proxy(StorageView.class, v, (m, args) -> {
            if (m.getName().equals("sync") && failSyncs.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new RetryableException("injected: the connection was lost while syncing the view");
            }
            return call(m, v, args);
        });
    }

    private interface Handler {
        Object handle(Method m, Object[] args) throws Throwable;
    }

    private static Object proxy(Class<?> type, Object target, Handler h) {
        return Proxy.newProxyInstance(FaultyStorage.class.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            if (m.getDeclaringClass() == Object.class) return m.invoke(target, args);
            return h.handle(m, args);
        });
    }

    private static Object call(Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
