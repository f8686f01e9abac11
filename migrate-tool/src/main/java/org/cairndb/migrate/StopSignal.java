package org.cairndb.migrate;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request to stop long work cleanly: the worker checks it between whole transactions (or
 * whole batches) and stops there, so the destination holds only complete transactions. Set
 * by Ctrl-C (a shutdown hook) in the command line tools.
 */
public final class StopSignal {
    private final AtomicBoolean requested = new AtomicBoolean();

    public void requestStop() {
        requested.set(true);
    }

    public boolean isStopRequested() {
        return requested.get();
    }
}
