package org.cairndb.migrate.cli;

import java.util.concurrent.CountDownLatch;
import org.cairndb.migrate.StopSignal;

/**
 * Ctrl-C (SIGINT) or SIGTERM during long work: a shutdown hook sets the {@link StopSignal},
 * then waits until the command says its work is over. The worker sees the signal between
 * transactions, writes its last whole transaction or batch and returns; only then does the
 * hook return and the JVM exit, so the destination holds only whole transactions.
 *
 * <p>The hook's wait has no timeout on purpose: it ends when the work ends (the event),
 * and a second Ctrl-C or kill -9 still ends the process at once; even then a storage's
 * transactions are all or nothing, so nothing is left half-written.
 */
final class CleanStop implements AutoCloseable {
    final StopSignal signal = new StopSignal();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    CleanStop(String what) {
        hook = new Thread(
                () -> {
                    signal.requestStop();
                    System.err.println(
                            "\ncairn " + what
                                    + ": stopping after the current transaction (the destination keeps only whole transactions)...");
                    try {
                        finished.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "cairn-clean-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The work is over: lets a pending hook return, and removes the hook. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running; it returns now that finished is counted down
        }
    }
}
