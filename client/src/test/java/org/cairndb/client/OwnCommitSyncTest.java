package org.cairndb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.cairndb.client.model.Item;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.Test;

/**
 * After a commit the connection syncs its view at once, and keeps the objects it just wrote
 * unless a commit after its own changed them: that commit must still turn them into ghosts
 * (the check is skipped only when its own commit is the newest the view sees).
 */
class OwnCommitSyncTest {

    @Test
    void ownCommit_overtakenBeforeTheSyncThatFollowsIt_objectReloaded() {
        try (Storage backing = Storages.open("temp:")) {
            AtomicReference<Runnable> afterFinish = new AtomicReference<>();
            Database db = Database.open(hooked(backing, afterFinish));
            Database other = Database.open(backing);
            try {
                TransactionManager tm = db.transactionManager();
                try (Connection c = db.open()) {
                    Item a = c.add(new Item("a", 1));
                    c.root().put("a", a);
                    tm.commit();
                    a.qty(2);
                    // another writer commits the same object between our FINISH and our sync
                    afterFinish.set(() -> CompletableFuture.runAsync(() -> {
                                try (Connection c2 = other.open()) {
                                    ((Item) c2.root().get("a")).qty(3);
                                    other.transactionManager().commit();
                                }
                            })
                            .join());
                    tm.commit();
                    tm.begin();
                    assertThat(a.qty())
                            .as("the other writer's commit came after ours")
                            .isEqualTo(3);
                }
            } finally {
                other.close();
                db.close();
            }
        }
    }

    /** The storage, with a hook run right after each transaction's finish returns. */
    private static Storage hooked(Storage backing, AtomicReference<Runnable> afterFinish) {
        ClassLoader loader = OwnCommitSyncTest.class.getClassLoader();
        return (Storage) Proxy.newProxyInstance(loader, new Class<?>[] {Storage.class}, (proxy, m, args) -> {
            Object r = call(m, backing, args);
            if (!m.getName().equals("begin")) return r;
            StorageTransaction t = (StorageTransaction) r;
            return Proxy.newProxyInstance(loader, new Class<?>[] {StorageTransaction.class}, (p, tm, targs) -> {
                Object tr = call(tm, t, targs);
                if (tm.getName().equals("finish")) {
                    Runnable hook = afterFinish.getAndSet(null);
                    if (hook != null) hook.run();
                }
                return tr;
            });
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
