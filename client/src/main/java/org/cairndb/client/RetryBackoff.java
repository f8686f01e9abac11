package org.cairndb.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.Storage;

/**
 * The wait of {@link TransactionManager#run} before it runs work again after a retryable
 * failure.
 *
 * <h2>Design</h2>
 * The first retry of a chain is immediate; after two failures in a row each retry waits a
 * random time between zero and a bound that doubles with every further failure (1 ms, 2 ms,
 * ... up to 100 ms), so writers that keep colliding spread out instead of colliding in
 * lockstep. The wait is a timer ({@link #TIMER}: one daemon thread for every manager, which
 * only completes futures) and ends early when any storage the thread uses reports a commit:
 * that commit is what the next attempt needs to see, so no sleep decides progress.
 * <i>Alternative rejected:</i> {@code Thread.sleep}: it would keep waiting after the commit
 * the retry needs has happened.
 */
final class RetryBackoff {
    /** Lower and upper bound of the random wait, in microseconds. */
    static final long BASE_MICROS = 1_000;

    static final long MAX_MICROS = 100_000;
    /** The timer ending the waits. */
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cairn-retry-backoff");
        t.setDaemon(true);
        return t;
    });

    private RetryBackoff() {}

    /** The bound of the random wait after {@code failures} failures in a row: 0 (none) after one, then 2^(failures-2) ms, at most {@link #MAX_MICROS}. */
    static long boundMicros(int failures) {
        if (failures < 2) return 0;
        return Math.min(MAX_MICROS, BASE_MICROS << Math.min(20, failures - 2));
    }

    /**
     * Waits before the next attempt after {@code failures} failures in a row: a random time up
     * to {@link #boundMicros}, ended early by a commit of any of {@code storages} (asked for
     * only when there is a wait).
     *
     * @param last the last failure, the cause when the wait is interrupted
     * @throws RetriesExhaustedException when the thread is interrupted (its interrupt flag stays set)
     */
    static void before(int failures, RetryableException last, Supplier<? extends Collection<Storage>> storages) {
        long bound = boundMicros(failures);
        if (bound == 0) return;
        long delay = ThreadLocalRandom.current().nextLong(bound + 1);
        if (delay == 0) return;
        await(delay, failures, last, storages.get());
    }

    /** Waits {@code delayMicros} on the timer, or until one of {@code storages} reports a commit. */
    static void await(long delayMicros, int failures, RetryableException last, Collection<Storage> storages) {
        CompletableFuture<Void> wake = new CompletableFuture<>();
        List<AutoCloseable> listening = new ArrayList<>();
        ScheduledFuture<?> timer = TIMER.schedule(() -> wake.complete(null), delayMicros, TimeUnit.MICROSECONDS);
        try {
            for (Storage s : storages) listening.add(s.addCommitListener((tid, oids) -> wake.complete(null)));
            wake.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            RetriesExhaustedException stop = new RetriesExhaustedException(failures, last);
            stop.addSuppressed(e);
            throw stop;
        } catch (ExecutionException | RuntimeException e) {
            // a storage that refuses listeners (closed): the next attempt reports it
        } finally {
            timer.cancel(false);
            for (AutoCloseable l : listening) {
                try {
                    l.close();
                } catch (Exception ignored) {
                    // a listener handle never fails to close in practice; nothing to undo
                }
            }
        }
    }
}
