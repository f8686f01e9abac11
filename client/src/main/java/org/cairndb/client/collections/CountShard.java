package org.cairndb.client.collections;

import java.util.HashMap;
import java.util.Map;
import org.cairndb.client.Persistent;
import org.cairndb.client.conflict.Resolvable;

/**
 * One shard of a {@link TimeBucketedCounter}: counts per time bucket and key. Concurrent counts
 * merge by adding both sides' increments to the committed counts, so counting never
 * conflicts; dropping old buckets concurrently with counting into them does.
 */
final class CountShard extends Persistent implements Resolvable<CountShard> {
    /** bucket start (epoch seconds) → key → count. */
    HashMap<Long, HashMap<Object, Long>> counts = new HashMap<>();

    void add(long bucket, Object key, long n) {
        changing();
        counts.computeIfAbsent(bucket, b -> new HashMap<>()).merge(key, n, Long::sum);
    }

    /** Adds this shard's counts for buckets in [from, to) into {@code into}. */
    void sum(long from, long to, Map<Object, Long> into) {
        activate();
        for (Map.Entry<Long, HashMap<Object, Long>> b : counts.entrySet()) {
            if (b.getKey() < from || b.getKey() >= to) continue;
            for (Map.Entry<Object, Long> e : b.getValue().entrySet()) into.merge(e.getKey(), e.getValue(), Long::sum);
        }
    }

    long count(Object key, long from, long to) {
        activate();
        long n = 0;
        for (Map.Entry<Long, HashMap<Object, Long>> b : counts.entrySet()) {
            if (b.getKey() >= from && b.getKey() < to) n += b.getValue().getOrDefault(key, 0L);
        }
        return n;
    }

    void dropBefore(long bucket) {
        activate();
        if (counts.keySet().stream().noneMatch(b -> b < bucket)) return;
        changing();
        counts.keySet().removeIf(b -> b < bucket);
    }

    @Override
    public CountShard resolve(CountShard ancestor, CountShard committed, CountShard mine) {
        if (ancestor == null) return null;
        for (Long b : ancestor.counts.keySet()) {
            if (!committed.counts.containsKey(b) || !mine.counts.containsKey(b))
                return null; // a drop raced with counting
        }
        for (Map.Entry<Long, HashMap<Object, Long>> b : mine.counts.entrySet()) {
            HashMap<Object, Long> base = ancestor.counts.getOrDefault(b.getKey(), new HashMap<>());
            HashMap<Object, Long> target = committed.counts.computeIfAbsent(b.getKey(), k -> new HashMap<>());
            for (Map.Entry<Object, Long> e : b.getValue().entrySet()) {
                long delta = e.getValue() - base.getOrDefault(e.getKey(), 0L);
                if (delta != 0) target.merge(e.getKey(), delta, Long::sum);
            }
        }
        return committed;
    }
}
