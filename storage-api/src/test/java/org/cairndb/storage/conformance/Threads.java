package org.cairndb.storage.conformance;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.cairndb.storage.spi.WaitingCallers;

/**
 * Threads for the kit's blocking tests. Nothing here decides an outcome by elapsed time:
 * {@link #awaitBlocked} waits for the thread to be parked (an observable state, not a
 * duration), and the deadlines below only turn a hang (a storage bug) into a failure.
 */
public final class Threads {
    /** Deadline after which a wait that should have ended is reported as a hang. */
    public static final long HANG_SECONDS = 30;

    private Threads() {}

    /** A task running on its own named thread. */
    public static final class Task<T> {
        public final Thread thread;
        public final CompletableFuture<T> result = new CompletableFuture<>();

        Task(String name, Callable<T> body) {
            thread = new Thread(
                    () -> {
                        try {
                            result.complete(body.call());
                        } catch (Throwable t) {
                            result.completeExceptionally(t);
                        }
                    },
                    name);
            thread.setDaemon(true);
        }

        /** The task's result; fails the test if the task hangs past {@link #HANG_SECONDS}. */
        public T join() {
            try {
                return result.get(HANG_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException r) throw r;
                if (c instanceof Error err) throw err;
                throw new IllegalStateException(c);
            } catch (TimeoutException e) {
                throw new AssertionError("task " + thread.getName() + " still running after " + HANG_SECONDS
                        + " s (a lost wake-up or deadlock in the storage?); its state: " + thread.getState()
                        + stack(thread));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        /** The exception the task ended with (fails if it returned normally). */
        public Throwable failure() {
            try {
                T v = join();
                throw new AssertionError("task " + thread.getName() + " was expected to fail but returned " + v);
            } catch (RuntimeException | Error e) {
                if (e instanceof AssertionError a
                        && a.getMessage() != null
                        && a.getMessage().startsWith("task ")) throw a;
                return e;
            }
        }

        public boolean isDone() {
            return result.isDone();
        }
    }

    public static <T> Task<T> start(String name, Callable<T> body) {
        Task<T> t = new Task<>(name, body);
        t.thread.start();
        return t;
    }

    /**
     * Waits until {@code task}'s thread is parked or blocked (WAITING/BLOCKED/TIMED_WAITING),
     * or waits for a storage's answer where the JVM cannot see it ({@link WaitingCallers}: a
     * cairn:// caller reading its own answer, which the server holds behind its commit lock),
     * or has finished. Returns true if it is blocked. Callers use it for single-writer storages;
     * a storage that waits inside a database call may be caught mid-query, so the kit does not
     * ask this of multi-writer storages. For cairn:// "blocked" means its request is out and
     * unanswered; the tests check order and outcome after it, which a storage that did not
     * hold the vote back fails.
     */
    public static boolean awaitBlocked(Task<?> task) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_SECONDS);
        AtomicReference<Thread.State> last = new AtomicReference<>();
        while (System.nanoTime() < deadline) {
            if (task.isDone()) return false;
            Thread.State st = task.thread.getState();
            last.set(st);
            if (st == Thread.State.WAITING
                    || st == Thread.State.BLOCKED
                    || st == Thread.State.TIMED_WAITING
                    || WaitingCallers.isWaiting(task.thread)) {
                return true;
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        throw new AssertionError("task " + task.thread.getName() + " neither blocked nor finished within "
                + HANG_SECONDS + " s; state " + last.get() + stack(task.thread));
    }

    private static String stack(Thread t) {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement e : t.getStackTrace()) sb.append("\n\tat ").append(e);
        return sb.toString();
    }
}
