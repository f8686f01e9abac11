package org.cairndb.server;

import io.netty.channel.Channel;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Back-pressure of one connection: when its requests may be read. A connection is read only
 * while {@link #mayRead}: fewer than {@code maxInFlight} of its requests are queued or running,
 * none of them waits for a thread of the bounded worker pool, and the client reads its answers
 * (the channel is writable; see {@link OutboundGuard}). Otherwise reading stops and TCP pushes
 * back on the client, whose requests then wait in its own socket, not in the server's memory.
 *
 * <p>Stopping happens on the event loop ({@link #enter}, {@link #submit}); resuming is always
 * decided there too, from the counts at that moment ({@link #resumeIfBelowLimit}): a worker that
 * resumed directly could do so between the loop's increment and its stop, and the stop would
 * then win with nothing left to resume it.
 *
 * <p>It also keeps the idle clock: a connection owed an answer is never idle, and idleness
 * counts from the moment it stopped being owed one.
 */
final class FlowControl {
    private final Channel channel;
    private final int maxInFlight;
    private final ThreadPoolExecutor workers;
    /** Requests read whose answer (or, for a streamed op, whose work) is not done yet. */
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Requests handed to the worker pool that have not started yet. */
    private final AtomicInteger waitingForWorker = new AtomicInteger();
    /** When this connection last stopped owing answers. */
    private volatile long idleSince = System.nanoTime();

    FlowControl(Channel channel, int maxInFlight, ThreadPoolExecutor workers) {
        this.channel = channel;
        this.maxInFlight = maxInFlight;
        this.workers = workers;
    }

    int inFlight() {
        return inFlight.get();
    }

    /** Event loop only: a request is taken on; stops reading at the limit. */
    void enter() {
        if (inFlight.incrementAndGet() >= maxInFlight) channel.config().setAutoRead(false);
    }

    /** Any thread: a request is done; reading resumes (decided on the event loop) when it drops below the limit. */
    void exit() {
        int n = inFlight.decrementAndGet();
        if (n == 0) idleSince = System.nanoTime(); // the idle clock starts when nothing is owed any more
        if (n == maxInFlight - 1) resumeLater();
    }

    /**
     * Event loop: runs {@code task} on the bounded worker pool. If it has to queue for a thread,
     * the connection is read no more until its queued requests have started.
     */
    void submit(Runnable task) {
        waitingForWorker.incrementAndGet();
        workers.execute(() -> {
            if (waitingForWorker.decrementAndGet() == 0 && !channel.config().isAutoRead()) resumeLater();
            task.run();
        });
        if (!workers.getQueue().isEmpty() && waitingForWorker.get() > 0) {
            channel.config().setAutoRead(false);
            // the task may have started between the check and the stop, and seen reading still on
            // (so it scheduled no resume): decide again, here on the loop, after the stop
            if (mayRead()) channel.config().setAutoRead(true);
        }
    }

    /** Event loop: the channel's writability changed (the outbound queue crossed a water mark). */
    void writabilityChanged() {
        if (!channel.isWritable()) channel.config().setAutoRead(false);
        else resumeIfBelowLimit();
    }

    /** True when nothing is owed and nothing was for at least {@code timeoutNanos}. */
    boolean idleFor(long timeoutNanos) {
        return inFlight.get() == 0 && System.nanoTime() - idleSince >= timeoutNanos;
    }

    /** Event loop: resumes reading if nothing holds it back. */
    void resumeIfBelowLimit() {
        if (mayRead() && channel.isActive() && !channel.config().isAutoRead())
            channel.config().setAutoRead(true);
    }

    private boolean mayRead() {
        return inFlight.get() < maxInFlight && waitingForWorker.get() == 0 && channel.isWritable();
    }

    /** Any thread: decides on the event loop, after whatever it is doing (so after any stop). */
    private void resumeLater() {
        try {
            channel.eventLoop().execute(this::resumeIfBelowLimit);
        } catch (RejectedExecutionException stopping) {
            // the server is shutting down: nothing more to read anyway
        }
    }
}
