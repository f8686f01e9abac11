package org.cairndb.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cairndb.client.Connection;
import org.cairndb.client.Persistent;
import org.cairndb.client.collections.PersistentMap;

/**
 * A queue's persistent state, found at {@code root["cairn.tasks"][name]}.
 *
 * <p>Its own record changes only when the queue is configured; submits, claims and
 * completions write the per-job objects and the sharded indexes below. Each index is split
 * over {@link #SHARDS} {@link PersistentMap}s chosen by the job's oid (or the key's hash):
 * concurrent writes of different jobs merge (different keys), and two writers rarely even
 * meet in one shard.
 * <ul>
 * <li>{@code live}: every PENDING or RUNNING job (what workers scan);</li>
 * <li>{@code done}: every final job (for listings, pruning, latencies);</li>
 * <li>{@code keys}: idempotency key → job (two submits of one key conflict; the retry finds the first).</li>
 * </ul>
 * Jobs are referenced (not just named by oid) so that pack keeps them.
 */
final class QueueState extends Persistent {
    static final String ROOT_KEY = "cairn.tasks";
    static final int SHARDS = 16;

    String name;
    ArrayList<PersistentMap<Long, Job>> live;
    ArrayList<PersistentMap<Long, Job>> done;
    ArrayList<PersistentMap<String, Job>> keys;
    PersistentMap<String, WorkerLease> workers;
    /** Non-null for a serial queue. */
    SerialSlot slot;
    /** Non-null for a rate-limited queue. */
    RateWindow rate;

    int defaultMaxAttempts = 3;
    long defaultBackoffMillis = 1_000;
    long defaultTimeoutMillis = 0;

    QueueState() {}

    QueueState(String name) {
        this.name = name;
        this.live = shards();
        this.done = shards();
        this.keys = shards();
        this.workers = new PersistentMap<>();
    }

    private static <K> ArrayList<PersistentMap<K, Job>> shards() {
        ArrayList<PersistentMap<K, Job>> s = new ArrayList<>();
        for (int i = 0; i < SHARDS; i++) s.add(new PersistentMap<>());
        return s;
    }

    /** The queue named {@code name}, or null (never creates it). */
    @SuppressWarnings("unchecked")
    static QueueState find(Connection conn, String name) {
        Object registry = conn.root().get(ROOT_KEY);
        if (registry == null) return null;
        return ((PersistentMap<String, QueueState>) registry).get(name);
    }

    /** The queue named {@code name}, created in the current transaction when missing. */
    @SuppressWarnings("unchecked")
    static QueueState findOrCreate(Connection conn, String name) {
        PersistentMap<String, Object> root = conn.root();
        PersistentMap<String, QueueState> registry = (PersistentMap<String, QueueState>) root.get(ROOT_KEY);
        if (registry == null) {
            registry = new PersistentMap<>();
            root.put(ROOT_KEY, registry);
        }
        QueueState q = registry.get(name);
        if (q == null) {
            q = new QueueState(name);
            registry.put(name, q);
        }
        return q;
    }

    /** Names of the queues in this database (reading creates nothing). */
    @SuppressWarnings("unchecked")
    static List<String> names(Connection conn) {
        Object registry = conn.root().get(ROOT_KEY);
        if (registry == null) return List.of();
        return new ArrayList<>(((PersistentMap<String, QueueState>) registry).keySet());
    }

    static int shardOf(long oid) {
        return (int) Long.remainderUnsigned(oid * 0x9E3779B97F4A7C15L >>> 7, SHARDS);
    }

    static int shardOf(String key) {
        return Math.floorMod(key.hashCode(), SHARDS);
    }

    String name() {
        activate();
        return name;
    }

    PersistentMap<Long, Job> liveShard(long oid) {
        activate();
        return live.get(shardOf(oid));
    }

    PersistentMap<Long, Job> doneShard(long oid) {
        activate();
        return done.get(shardOf(oid));
    }

    PersistentMap<String, Job> keyShard(String key) {
        activate();
        return keys.get(shardOf(key));
    }

    List<PersistentMap<Long, Job>> liveShards() {
        activate();
        return live;
    }

    List<PersistentMap<Long, Job>> doneShards() {
        activate();
        return done;
    }

    PersistentMap<String, WorkerLease> workers() {
        activate();
        return workers;
    }

    SerialSlot slot() {
        activate();
        return slot;
    }

    RateWindow rate() {
        activate();
        return rate;
    }

    int defaultMaxAttempts() {
        activate();
        return defaultMaxAttempts;
    }

    long defaultBackoffMillis() {
        activate();
        return defaultBackoffMillis;
    }

    long defaultTimeoutMillis() {
        activate();
        return defaultTimeoutMillis;
    }

    /** The oids whose commits can make a job claimable: the live shards and the serial slot. */
    long[] wakeOids() {
        activate();
        long[] out = new long[live.size() + 1];
        for (int i = 0; i < live.size(); i++) out[i] = live.get(i).oid();
        out[live.size()] = slot == null ? -1 : slot.oid();
        return out;
    }

    void configure(QueueConfig c) {
        changing();
        if (c.serial() && slot == null) slot = new SerialSlot();
        if (!c.serial()) slot = null;
        rate = c.rateLimit() > 0 ? new RateWindow(c.rateLimit(), c.ratePeriod().toMillis()) : null;
        defaultMaxAttempts = c.maxAttempts();
        defaultBackoffMillis = c.backoff().toMillis();
        defaultTimeoutMillis = c.timeout().toMillis();
    }

    void add(Job j) {
        liveShard(j.oid()).put(j.oid(), j);
        if (j.idempotencyKey != null) keyShard(j.idempotencyKey).put(j.idempotencyKey, j);
    }

    /** Moves a job that just became final from the live index to the done index. */
    void finished(Job j) {
        liveShard(j.oid()).remove(j.oid());
        doneShard(j.oid()).put(j.oid(), j);
        SerialSlot s = slot();
        if (s != null) s.release(j.oid());
    }

    /** Moves a final job back to the live index (retry). */
    void revived(Job j) {
        doneShard(j.oid()).remove(j.oid());
        liveShard(j.oid()).put(j.oid(), j);
    }

    /** Forgets a final job (pruning): its indexes let go of it and pack can drop it. */
    void forget(Job j) {
        doneShard(j.oid()).remove(j.oid());
        String key = j.idempotencyKey;
        if (key != null) {
            PersistentMap<String, Job> ks = keyShard(key);
            if (ks.get(key) == j) ks.remove(key);
        }
    }

    int liveCount() {
        int n = 0;
        for (Map<Long, Job> m : liveShards()) n += m.size();
        return n;
    }
}
