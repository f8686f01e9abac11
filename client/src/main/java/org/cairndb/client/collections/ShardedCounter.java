package org.cairndb.client.collections;

import java.util.ArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.cairndb.client.Persistent;

/**
 * One number that many writers increment at once, each commit rewriting one small shard
 * instead of one shared record: the hot counter that scales with writers (a page-view total,
 * a sequence of events counted by every request).
 *
 * <h2>Design</h2>
 * The value is the sum of a fixed number of shards, each a {@link Counter} (its own record),
 * created with the counter; the counter's own record never changes after that. An increment
 * goes to the shard of the calling thread: threads of a process take shard slots round-robin
 * from a random start (so two processes rarely start on the same shard), and a thread keeps
 * its slot, so up to {@code shards} writers of a process never write the same record. Writers
 * on different shards never conflict, on any storage. Writers that meet on a shard (more
 * writers than shards, or two processes' slots colliding) conflict, and the conflict is
 * resolved by adding both increments ({@link Counter}'s resolution: in the storage where it
 * resolves conflicts, else by the client's merge and retry), so the sum stays exact.
 *
 * <h2>Against a single {@link Counter}</h2>
 * A single Counter is one record: every increment of every writer rewrites it, so commits of
 * different writers are serialized on that record (a row lock held through the commit's flush
 * on PostgreSQL, conflicts and retries on storages that only detect them). Here each writer
 * has its own record and the commits proceed side by side, sharing the storage's group commit.
 * The price: {@link #get} reads every shard (N small loads; cached like any object), and there
 * is no {@code set}: a set would rewrite every shard and conflict with every concurrent
 * increment. To start over, replace the counter with a new one.
 *
 * <p><i>Alternative rejected:</i> a shard chosen at random per increment spreads writers as
 * well on average, but two writers collide on a shard in a share of commits that grows with
 * the writers, where round-robin slots keep a process's writers apart.
 */
public class ShardedCounter extends Persistent {
    /** Default shards: more than the cores of most application servers. */
    public static final int DEFAULT_SHARDS = 16;

    /** The next slot handed to a thread of this process; starts at random so processes tend to differ. */
    private static final AtomicInteger NEXT_SLOT =
            new AtomicInteger(ThreadLocalRandom.current().nextInt(1 << 16));

    private static final ThreadLocal<Integer> SLOT = ThreadLocal.withInitial(NEXT_SLOT::getAndIncrement);

    private ArrayList<Counter> shards;

    /** A counter at 0 with {@value #DEFAULT_SHARDS} shards. */
    public ShardedCounter() {
        this(DEFAULT_SHARDS);
    }

    /** A counter at 0 with {@code shardCount} shards: at least the number of writers expected at once. */
    public ShardedCounter(int shardCount) {
        if (shardCount < 1 || shardCount > 4096) {
            throw new IllegalArgumentException(
                    "shard count must be 1..4096 (about the number of concurrent writers), was " + shardCount);
        }
        shards = new ArrayList<>(shardCount);
        for (int i = 0; i < shardCount; i++) shards.add(new Counter());
    }

    /** Adds {@code delta} in this transaction (to the calling thread's shard). */
    public void add(long delta) {
        activate();
        shards.get(Math.floorMod(SLOT.get(), shards.size())).add(delta);
    }

    public void increment() {
        add(1);
    }

    public void decrement() {
        add(-1);
    }

    /** The value in this transaction's snapshot plus its own changes: the sum of the shards. */
    public long get() {
        activate();
        long sum = 0;
        for (Counter c : shards) sum += c.get();
        return sum;
    }

    /** Each shard's value in this transaction's snapshot (what {@link #get} sums). */
    long[] shardValues() {
        activate();
        return shards.stream().mapToLong(Counter::get).toArray();
    }

    public int shardCount() {
        activate();
        return shards.size();
    }

    @Override
    public String toString() {
        return "ShardedCounter[" + get() + " in " + shardCount() + " shards]";
    }
}
