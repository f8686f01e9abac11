package org.cairndb.remote;

import org.cairndb.storage.Storage;
import org.cairndb.storage.conformance.StorageConformance;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** The conformance kit as every cairn:// test class runs it, with its one explained opt-out. */
interface RemoteConformance extends StorageConformance {

    @Override
    @Test
    @Disabled("the kit queues waiters by seeing each waiting thread parked; for cairn:// a parked client thread"
            + " may not have reached the server yet, so arrival order at the server is not observable from the"
            + " client and the check was flaky. The server side is proven instead by storage-server's CommitQueueOrderTest"
            + " (arrival order, woken by release, cancelled waiters) and CommitQueueTest (the same through real"
            + " connections, including a client that drops while queued); the storages' CommitLock FIFO is checked"
            + " directly by the kit on mem: and temp:")
    default void singleWriter_waitersServedInArrivalOrder(Storage s) {
        StorageConformance.super.singleWriter_waitersServedInArrivalOrder(s);
    }
}
