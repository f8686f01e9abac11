package org.cairndb.client.collections;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The former name of {@link TimeBucketedCounter}, kept so that databases written before the
 * rename still load (their records name this class); it adds nothing.
 *
 * @deprecated use {@link TimeBucketedCounter}; {@code mostViewed} is its {@code mostCounted}
 */
@Deprecated
public class ViewCounter<K> extends TimeBucketedCounter<K> {
    /** Hourly buckets, 32 shards. */
    public ViewCounter() {
        super();
    }

    public ViewCounter(Duration bucket, int shardCount) {
        super(bucket, shardCount);
    }

    /** @deprecated use {@link #mostCounted} */
    @Deprecated
    public List<Map.Entry<K, Long>> mostViewed(Instant from, Instant to, int limit) {
        return mostCounted(from, to, limit);
    }
}
