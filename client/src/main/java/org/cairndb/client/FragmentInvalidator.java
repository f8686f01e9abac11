package org.cairndb.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cairndb.storage.Storage;

/**
 * Forgets fragments when what they were computed from changes: one per {@link Database},
 * listening to the commits of every mounted storage.
 *
 * <h2>The guarantee, and why it holds</h2>
 * A fragment is served to a reader only if no commit the reader can see changed one of its
 * dependencies. Three pieces:
 * <ol>
 * <li><b>Commits drop entries.</b> The commit listener of each mount marks every entry that
 *     depends on a committed oid invalid and removes it, then raises the mount's
 *     {@code processed} tid. Local storages ({@code mem:}, {@code temp:}) call listeners on the
 *     committing thread before finish returns; {@code cairn://} calls them when it applies
 *     the server's INVALIDATE, which the server writes to every client (the committer too)
 *     before the committer's FINISH answer. So the entry is gone before the commit returns
 *     in this process.</li>
 * <li><b>Readers never run ahead of the listener.</b> A hit is served only if, in each mount
 *     the entry depends on, neither {@code lastTid()} nor the snapshot of a connection the
 *     reading thread holds is past {@code processed}: a reader that could see a commit
 *     whose listener has not run yet (a storage publishes a commit to new views a moment
 *     before it calls listeners; PostgreSQL tells listeners later still) misses instead. So
 *     another process never serves a stale entry even while its invalidation is in flight.</li>
 * <li><b>A late value is not stored.</b> A supplier reads at snapshot S and finishes later;
 *     a commit T &gt; S to one of its dependencies may have been processed meanwhile, and
 *     would have found nothing to drop. So the listener first appends each commit to a log,
 *     and {@link #admit} (under the same lock) indexes the new entry and checks the log for
 *     commits after S touching its dependencies: either the listener sees the entry in the
 *     index, or admit sees the commit in the log. The log is bounded; a supplier whose
 *     snapshot is older than the log's horizon is not stored.</li>
 * </ol>
 * A storage that cannot say what changed (a {@code cairn://} client reconnecting to a server
 * whose history does not reach back) calls {@code lostTrack}: every entry depending on it goes.
 *
 * <p>Hits take no lock; listeners and admissions share one short lock.
 */
final class FragmentInvalidator implements AutoCloseable {
    /** Commits kept per mount for {@link #admit}; a supplier running across more commits than this is not stored. */
    static final int LOG_COMMITS = 4096;

    private final Object lock = new Object();
    private final Map<String, MountState> mounts = new LinkedHashMap<>();

    private record Commit(long tid, long[] oids) {}

    private final class MountState implements org.cairndb.storage.CommitListener {
        final String mount;
        final Storage storage;
        /** Every commit up to this tid has been processed (entries dropped). */
        volatile long processed;
        /** The log holds every commit after this tid (guarded by lock). */
        long horizon;

        final ArrayDeque<Commit> log = new ArrayDeque<>();
        /** oid → entries depending on it (guarded by lock). */
        final HashMap<Long, Set<FragmentEntry>> index = new HashMap<>();

        AutoCloseable registration;

        MountState(String mount, Storage storage) {
            this.mount = mount;
            this.storage = storage;
        }

        @Override
        public void committed(long tid, long[] oids) {
            List<FragmentEntry> dropped = new ArrayList<>();
            synchronized (lock) {
                log.addLast(new Commit(tid, oids));
                while (log.size() > LOG_COMMITS) horizon = log.removeFirst().tid();
                for (long oid : oids) {
                    Set<FragmentEntry> s = index.get(oid);
                    if (s == null) continue;
                    for (FragmentEntry e : new ArrayList<>(s)) {
                        e.invalid = true;
                        unindexLocked(e);
                        dropped.add(e);
                    }
                }
                if (Long.compareUnsigned(tid, processed) > 0) processed = tid; // after the drops: readers check it
            }
            for (FragmentEntry e : dropped) e.owner.dropped(e);
        }

        @Override
        public void lostTrack(long tid) {
            List<FragmentEntry> dropped = new ArrayList<>();
            synchronized (lock) {
                for (Set<FragmentEntry> s : index.values()) dropped.addAll(s);
                for (FragmentEntry e : dropped) {
                    e.invalid = true;
                    unindexLocked(e);
                }
                log.clear();
                horizon = tid;
                if (Long.compareUnsigned(tid, processed) > 0) processed = tid;
            }
            for (FragmentEntry e : dropped) e.owner.dropped(e);
        }
    }

    FragmentInvalidator(Map<String, Storage> storages) {
        for (Map.Entry<String, Storage> e : storages.entrySet()) {
            MountState m = new MountState(e.getKey(), e.getValue());
            // listen first, then read lastTid: a commit in between is in the log or before the horizon
            m.registration = e.getValue().addCommitListener(m);
            long last = e.getValue().knownLastTid();
            synchronized (lock) {
                m.horizon = last;
                if (Long.compareUnsigned(last, m.processed) > 0) m.processed = last;
            }
            mounts.put(e.getKey(), m);
        }
    }

    /**
     * True when every commit the calling thread could see in the entry's mounts has been
     * processed: the storage's last tid (what a new snapshot sees), and the snapshot of each
     * connection the thread has open ({@code cairn://} views can be a commit ahead of the
     * invalidations this client applied).
     */
    boolean current(FragmentEntry e, java.util.List<Connection> readers) {
        for (String mount : e.deps.keySet()) {
            MountState m = mounts.get(mount);
            long processed = m.processed;
            if (Long.compareUnsigned(m.storage.knownLastTid(), processed) > 0) return false;
            for (int i = 0; i < readers.size(); i++) {
                Connection c = readers.get(i);
                if (!c.isClosed()
                        && c.database() == e.owner.database()
                        && Long.compareUnsigned(c.viewTid(mount), processed) > 0) return false;
            }
        }
        return true;
    }

    /**
     * Indexes a freshly computed entry, unless a processed commit after its snapshot changed
     * one of its dependencies (then it is marked invalid and false returned).
     */
    boolean admit(FragmentEntry e) {
        synchronized (lock) {
            for (Map.Entry<String, long[]> d : e.deps.entrySet()) {
                MountState m = mounts.get(d.getKey());
                long snapshot = e.snapshots.get(d.getKey());
                if (Long.compareUnsigned(snapshot, m.horizon) < 0) {
                    e.invalid = true;
                    return false;
                }
                for (Iterator<Commit> it = m.log.descendingIterator(); it.hasNext(); ) {
                    Commit c = it.next();
                    if (Long.compareUnsigned(c.tid(), snapshot) <= 0) break;
                    for (long oid : c.oids()) {
                        if (e.dependsOn(d.getKey(), oid)) {
                            e.invalid = true;
                            return false;
                        }
                    }
                }
            }
            for (Map.Entry<String, long[]> d : e.deps.entrySet()) {
                HashMap<Long, Set<FragmentEntry>> index = mounts.get(d.getKey()).index;
                for (long oid : d.getValue()) {
                    index.computeIfAbsent(
                                    oid, k -> java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()))
                            .add(e);
                }
            }
            return true;
        }
    }

    /** Forgets an entry removed from its cache (evicted, expired, replaced, invalidated). */
    void unindex(FragmentEntry e) {
        synchronized (lock) {
            unindexLocked(e);
        }
    }

    private void unindexLocked(FragmentEntry e) {
        for (Map.Entry<String, long[]> d : e.deps.entrySet()) {
            HashMap<Long, Set<FragmentEntry>> index = mounts.get(d.getKey()).index;
            for (long oid : d.getValue()) {
                Set<FragmentEntry> s = index.get(oid);
                if (s != null && s.remove(e) && s.isEmpty()) index.remove(oid);
            }
        }
    }

    boolean knows(String mount) {
        return mounts.containsKey(mount);
    }

    /** Oids with at least one dependent entry (for tests and stats). */
    int indexedOids() {
        synchronized (lock) {
            int n = 0;
            for (MountState m : mounts.values()) n += m.index.size();
            return n;
        }
    }

    @Override
    public void close() {
        for (MountState m : mounts.values()) {
            try {
                if (m.registration != null) m.registration.close();
            } catch (Exception ignored) {
                // the storage is closing too
            }
        }
    }
}
