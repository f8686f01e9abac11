package org.cairndb.client.collections;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.cairndb.client.Persistent;

/**
 * Per-key event counts in time buckets, spread over shards: counts events per key (every
 * view of every video, every download of every file) from many writers at once, and answers
 * "the most counted keys between from and to". This is the hot-counter story: {@link #count}
 * never causes a write conflict, whatever the number of concurrent writers, on storages that
 * resolve conflicts (the counts merge by adding increments); on storages that only detect
 * conflicts, {@code TransactionManager.run} retries them at once. (It was called
 * {@code ViewCounter}, after the demo's use; that name remains as a deprecated subclass so
 * databases written before the rename still load.)
 *
 * <h2>Design</h2>
 * Counts are kept per time bucket (default one hour) and key, spread over a fixed number of
 * shards (separate records, chosen by the key's hash) created with the counter: a count
 * rewrites one small shard, concurrent counts to different shards do not even meet, and no
 * structure is ever created concurrently (which could not be merged). The counter's own
 * record never changes.
 *
 * <p>Keys should have stable {@code hashCode}s across processes (strings, numbers, records
 * of those); persistent objects are not suitable keys (use their oid).
 */
public class TimeBucketedCounter<K> extends Persistent {
    private ArrayList<CountShard> shards;
    private long bucketSeconds;

    /** Hourly buckets, 32 shards. */
    public TimeBucketedCounter() {
        this(Duration.ofHours(1), 32);
    }

    public TimeBucketedCounter(Duration bucket, int shardCount) {
        if (bucket.getSeconds() < 1)
            throw new IllegalArgumentException("time bucket must be at least one second, was " + bucket);
        if (shardCount < 1) throw new IllegalArgumentException("shard count must be positive, was " + shardCount);
        this.bucketSeconds = bucket.getSeconds();
        this.shards = new ArrayList<>();
        for (int i = 0; i < shardCount; i++) shards.add(new CountShard());
    }

    private CountShard shard(Object key) {
        activate();
        return shards.get(Math.floorMod(key.hashCode(), shards.size()));
    }

    private long bucketOf(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), bucketSeconds) * bucketSeconds;
    }

    /** Counts one event for {@code key} now. */
    public void count(K key) {
        count(key, Instant.now(), 1);
    }

    /** Counts {@code n} events for {@code key} at time {@code when}. */
    public void count(K key, Instant when, long n) {
        if (key == null) throw new NullPointerException("TimeBucketedCounter keys cannot be null");
        shard(key).add(bucketOf(when), key, n);
    }

    /** Events of {@code key} with {@code from <= time < to} (to bucket resolution). */
    public long count(K key, Instant from, Instant to) {
        return shard(key)
                .count(
                        key,
                        bucketOf(from),
                        bucketOf(to) + (to.getEpochSecond() % bucketSeconds == 0 ? 0 : bucketSeconds));
    }

    /** All events of {@code key} ever counted (and not dropped). */
    public long total(K key) {
        return shard(key).count(key, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * The {@code limit} keys with the most events with {@code from <= time < to} (whole
     * buckets that start in the range), most first; ties in key order of their strings.
     */
    @SuppressWarnings("unchecked")
    public List<Map.Entry<K, Long>> mostCounted(Instant from, Instant to, int limit) {
        activate();
        long lo = bucketOf(from);
        long hi = to.equals(Instant.MAX)
                ? Long.MAX_VALUE
                : bucketOf(to) + (to.getEpochSecond() % bucketSeconds == 0 ? 0 : bucketSeconds);
        Map<Object, Long> sums = new HashMap<>();
        for (CountShard s : shards) s.sum(lo, hi, sums);
        Comparator<Map.Entry<Object, Long>> order = Map.Entry.<Object, Long>comparingByValue()
                .thenComparing(e -> String.valueOf(e.getKey()), Comparator.reverseOrder());
        PriorityQueue<Map.Entry<Object, Long>> top = new PriorityQueue<>(order);
        for (Map.Entry<Object, Long> e : sums.entrySet()) {
            top.add(e);
            if (top.size() > limit) top.poll();
        }
        List<Map.Entry<K, Long>> out = new ArrayList<>();
        while (!top.isEmpty()) {
            Map.Entry<Object, Long> e = top.poll();
            out.add(0, Map.entry((K) e.getKey(), e.getValue()));
        }
        return out;
    }

    /** Forgets the buckets that end before {@code time}. Conflicts with concurrent counts into them. */
    public void dropBefore(Instant time) {
        activate();
        long b = bucketOf(time);
        for (CountShard s : shards) s.dropBefore(b);
    }

    public Duration bucketSize() {
        activate();
        return Duration.ofSeconds(bucketSeconds);
    }
}
