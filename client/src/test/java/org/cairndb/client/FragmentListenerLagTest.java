package org.cairndb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.cairndb.client.model.Item;
import org.cairndb.storage.CommitListener;
import org.cairndb.storage.Storage;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.Test;

/**
 * Commit listeners may be told late: a storage publishes a commit to new snapshots a moment
 * before it calls them, PostgreSQL's poller later still, and a {@code cairn://} view can be a
 * commit ahead of the invalidations its client applied. A reader that can see a commit the
 * fragment cache has not processed must miss, not be served the value the commit made stale.
 */
class FragmentListenerLagTest {

    /** A temp: storage whose commit listeners hear of commits only when {@link #deliver()} is called. */
    static final class LaggingListeners {
        final Storage backing = Storages.open("temp:");
        final List<Runnable> held = new ArrayList<>();
        final List<CommitListener> registered = new ArrayList<>();
        final Storage storage;

        LaggingListeners() {
            ClassLoader loader = FragmentListenerLagTest.class.getClassLoader();
            storage = (Storage) Proxy.newProxyInstance(loader, new Class<?>[] {Storage.class}, (proxy, m, args) -> {
                if (m.getName().equals("addCommitListener")) {
                    CommitListener l = (CommitListener) args[0];
                    synchronized (held) {
                        registered.add(l);
                    }
                    return backing.addCommitListener(new CommitListener() {
                        @Override
                        public void committed(long tid, long[] oids) {
                            synchronized (held) {
                                held.add(() -> l.committed(tid, oids));
                            }
                        }
                    });
                }
                return call(m, backing, args);
            });
        }

        void deliver() {
            List<Runnable> now;
            synchronized (held) {
                now = new ArrayList<>(held);
                held.clear();
            }
            now.forEach(Runnable::run);
        }

        void lostTrack() {
            List<CommitListener> ls;
            synchronized (held) {
                ls = new ArrayList<>(registered);
            }
            for (CommitListener l : ls) l.lostTrack(backing.lastTid());
        }
    }

    @Test
    void readerSeesACommitTheCacheHasNotProcessed_missesInsteadOfServingTheStaleValue() {
        LaggingListeners lag = new LaggingListeners();
        try (Database db = Database.open(lag.storage)) {
            TransactionManager tm = db.transactionManager();
            try (Connection c = db.open()) {
                c.root().put("a", new Item("a", 1));
                tm.commit();
                lag.deliver();
                FragmentCache pages = db.fragmentCache("pages");
                assertThat(pages.<String>get(
                                "a", () -> "qty " + ((Item) c.root().get("a")).qty()))
                        .isEqualTo("qty 1");

                ((Item) c.root().get("a")).qty(2);
                tm.commit(); // the listener has not been told yet
                assertThat(pages.<String>get(
                                "a", () -> "qty " + ((Item) c.root().get("a")).qty()))
                        .as("the reader's snapshot holds the commit: the old value must not be served")
                        .isEqualTo("qty 2");

                lag.deliver();
                assertThat(pages.<String>get("a", () -> "recomputed")).isEqualTo("recomputed");
                assertThat(pages.<String>get("a", () -> "again"))
                        .as("processed: cached again")
                        .isEqualTo("recomputed");
            }
        } finally {
            lag.backing.close();
        }
    }

    @Test
    void storageLostTrackOfChanges_dropsEveryDependentValue() {
        LaggingListeners lag = new LaggingListeners();
        try (Database db = Database.open(lag.storage)) {
            TransactionManager tm = db.transactionManager();
            try (Connection c = db.open()) {
                c.root().put("a", new Item("a", 1));
                tm.commit();
                lag.deliver();
                FragmentCache pages = db.fragmentCache("pages");
                pages.get("a", () -> "qty " + ((Item) c.root().get("a")).qty());
                pages.get("free", () -> "depends on nothing");
                lag.lostTrack();
                assertThat(pages.<String>get("a", () -> "recomputed")).isEqualTo("recomputed");
                assertThat(pages.<String>get("free", () -> "recomputed")).isEqualTo("depends on nothing");
            }
        } finally {
            lag.backing.close();
        }
    }

    private static Object call(Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
