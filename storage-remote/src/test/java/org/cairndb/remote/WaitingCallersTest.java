package org.cairndb.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.cairndb.server.CairnServer;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.conformance.Threads;
import org.cairndb.storage.spi.WaitingCallers;
import org.cairndb.temp.TemporaryStorage;
import org.junit.jupiter.api.Test;

/**
 * A cairn:// caller whose vote the server holds behind its commit lock reads the socket for
 * its answer (RUNNABLE to the JVM): it says so through {@link WaitingCallers}, so the
 * conformance kit sees it wait without timing how long it sits in a read.
 */
class WaitingCallersTest {

    @Test
    void voteHeldBehindTheServersCommitLock_isMarkedWaiting_untilAnswered() {
        try (TemporaryStorage backing = new TemporaryStorage("waiting");
                CairnServer server = Remote.serve(backing);
                RemoteStorage a = Remote.connect(server, "");
                RemoteStorage b = Remote.connect(server, "")) {
            long[] oids = a.newOids(2);
            StorageTransaction first = a.begin(TransactionMetadata.of("test", "first"));
            first.store(oids[0], Tid.ZERO, Remote.value(1));
            first.vote(); // temp: is single-writer: the server's commit lock is held until finish
            Threads.Task<Long> second = Threads.start("second", () -> Remote.commit(b, oids[1], Tid.ZERO, 2));

            long hang = System.nanoTime() + TimeUnit.SECONDS.toNanos(Threads.HANG_SECONDS);
            while (!WaitingCallers.isWaiting(second.thread) && !second.isDone() && System.nanoTime() < hang) {
                Thread.onSpinWait();
            }
            assertThat(second.isDone())
                    .as("the second vote returned while the first held the commit lock")
                    .isFalse();
            assertThat(WaitingCallers.isWaiting(second.thread))
                    .as("the waiting caller is marked")
                    .isTrue();

            long t1 = first.finish();
            assertThat(second.join()).isGreaterThan(t1);
            assertThat(WaitingCallers.isWaiting(second.thread))
                    .as("the mark is cleared when the answer came")
                    .isFalse();
        }
    }
}
