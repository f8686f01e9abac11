package org.cairndb.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cairndb.protocol.Op;
import org.cairndb.server.CairnServer;
import org.cairndb.storage.CommitOutcomeUnknownException;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.testing.FaultProxy;
import org.cairndb.storage.testing.FaultProxy.Fault;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection lost while FINISH is in flight: the client must report what the storage
 * really holds. Real drops: a proxy ({@link FaultProxy}) between client and server closes both sockets either
 * instead of forwarding FINISH (the server never finishes) or from inside the storage's
 * finish, after the commit and before the server can write the answer.
 */
class LostFinishTest {
    private Storage backing;
    private CairnServer server;
    private FaultProxy proxy;
    /** Completed when the fault armed last has fired. */
    private CompletableFuture<Void> cut;

    private RemoteStorage client;
    private long oid;
    private long readTid;

    @BeforeEach
    void open() throws Exception {
        backing = Storages.open("temp:");
        server = Remote.serve(backing);
        proxy = new FaultProxy(server.port());
        client = Remote.connect(proxy.port(), "connect-timeout=30");
        oid = client.newOids(1)[0];
        readTid = Remote.commit(client, oid, 0, 1);
        assertThat(Remote.valueOf(client.load(oid))).isEqualTo(1); // now cached: a commit must invalidate it
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        proxy.close();
        server.close();
        backing.close();
    }

    private StorageTransaction voted(long value) {
        StorageTransaction t = client.begin(TransactionMetadata.of("test", "lost finish"));
        t.store(oid, readTid, Remote.value(value));
        t.vote();
        return t;
    }

    /** Cuts every connection from inside the storage's finish: committed, and the answer cannot reach the client. */
    private AutoCloseable cutAfterStorageFinish() {
        AtomicBoolean armed = new AtomicBoolean(true);
        cut = proxy.nextFault();
        return backing.addCommitListener((tid, oids) -> {
            if (armed.getAndSet(false)) proxy.cutAll();
        });
    }

    @Test
    void finish_cutAfterStorageFinished_returnsTheCommittedTid() throws Exception {
        StorageTransaction t = voted(2);
        long tid;
        try (AutoCloseable cutting = cutAfterStorageFinish()) {
            tid = t.finish();
        }
        assertThat(cut).isDone();
        assertThat(t.state()).isEqualTo(StorageTransaction.State.FINISHED);
        assertThat(tid).isEqualTo(backing.lastTid());
        assertThat(backing.load(oid).tid()).isEqualTo(tid);
        assertThat(Remote.valueOf(backing.load(oid))).isEqualTo(2);
        // invalidations as usual: the cached revision 1 is gone
        assertThat(client.lastTidSeen()).isGreaterThanOrEqualTo(tid);
        assertThat(Remote.valueOf(client.load(oid))).isEqualTo(2);
        assertThat(client.load(oid).tid()).isEqualTo(tid);
    }

    @Test
    void finish_cutBeforeFinishReachedServer_saysNotCommitted() {
        long before = backing.lastTid();
        StorageTransaction t = voted(2);
        cutBeforeNextFinish();
        assertThatThrownBy(t::finish)
                .isInstanceOf(RetryableException.class)
                .hasMessageContaining("FINISH")
                .hasMessageContaining("was NOT committed");
        assertThat(cut).isDone();
        assertThat(t.state()).isEqualTo(StorageTransaction.State.ABORTED);
        assertThat(backing.lastTid()).isEqualTo(before);
        assertThat(Remote.valueOf(backing.load(oid))).isEqualTo(1);
        // the lock was released and the retry commits
        long tid = Remote.commit(client, oid, readTid, 3);
        assertThat(Remote.valueOf(backing.load(oid))).isEqualTo(3);
        assertThat(backing.lastTid()).isEqualTo(tid);
    }

    /** The connection is lost during FINISH (after the server committed) and again during the OUTCOME that asks: still known. */
    @Test
    void finish_answerLostThenOutcomeRequestLost_asksAgain_committed() {
        StorageTransaction t = voted(2);
        proxy.inject(Fault.cutBeforeAnswer(Op.FINISH.code).times(1));
        proxy.inject(Fault.cutBefore(Op.OUTCOME.code).times(1));
        long tid = t.finish();
        assertThat(proxy.faults()).isEqualTo(2);
        assertThat(tid).isEqualTo(backing.load(oid).tid());
        assertThat(Remote.valueOf(backing.load(oid))).isEqualTo(2);
    }

    /** Votes, then finishes on another thread while every connection is cut from inside the storage's finish; returns the finish. */
    private CompletableFuture<Long> finishCutAfterCommit(StorageTransaction t) {
        try (AutoCloseable cutting = cutAfterStorageFinish()) {
            CompletableFuture<Long> finish = CompletableFuture.supplyAsync(t::finish);
            cut.join();
            return finish;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void finish_serverRestartedAfterCommit_provenCommittedByTheStoragesFirstCommitAfterTheVote() {
        StorageTransaction t = voted(2);
        proxy.hold(); // the client's reconnect waits for the restarted server
        CompletableFuture<Long> finish = finishCutAfterCommit(t);
        restartServer();
        long tid = finish.join();
        assertThat(tid).isEqualTo(backing.load(oid).tid());
        assertThat(Remote.valueOf(backing.load(oid))).isEqualTo(2);
        assertThat(Remote.valueOf(client.load(oid))).isEqualTo(2);
    }

    @Test
    void finish_serverRestartedAfterCommit_overwrittenSince_saysUnknownNeverRetry() {
        StorageTransaction t = voted(2);
        proxy.hold();
        CompletableFuture<Long> finish = finishCutAfterCommit(t);
        server.close();
        server = Remote.serve(backing);
        try (RemoteStorage other =
                Remote.connect(server, "")) { // straight to the new server, before the client is let through
            Remote.commit(other, oid, other.load(oid).tid(), 9);
        }
        proxy.release(server.port());
        assertThatThrownBy(finish::join)
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(CommitOutcomeUnknownException.class)
                .isNotInstanceOf(RetryableException.class)
                .hasMessageContaining("UNKNOWN WHETHER IT COMMITTED")
                .hasMessageContaining("no record of transaction token");
        // it did commit (then was overwritten): the error did not claim otherwise
        assertThat(Remote.valueOf(backing.load(oid))).isEqualTo(9);
    }

    @Test
    void finish_serverRestartedBeforeFinish_notCommittedByTheStoragesLastTid() {
        long before = backing.lastTid();
        StorageTransaction t = voted(2);
        proxy.hold();
        cutBeforeNextFinish();
        CompletableFuture<Long> finish = CompletableFuture.supplyAsync(t::finish);
        cut.join();
        restartServer();
        assertThatThrownBy(finish::join)
                .cause()
                .isInstanceOf(RetryableException.class)
                .hasMessageContaining("was NOT committed")
                .hasMessageContaining("no commit after the tid");
        assertThat(backing.lastTid()).isEqualTo(before);
        assertThat(Remote.valueOf(client.load(oid))).isEqualTo(1);
        Remote.commit(client, oid, readTid, 3); // nothing left locked by the lost transaction
        assertThat(Remote.valueOf(backing.load(oid))).isEqualTo(3);
    }

    /** The next FINISH from the client is not forwarded: the connection is cut instead. */
    private void cutBeforeNextFinish() {
        cut = proxy.nextFault();
        proxy.inject(Fault.cutBefore(Op.FINISH.code).times(1));
    }

    private void restartServer() {
        server.close(); // aborts the old connection's transaction, forgets its outcomes
        server = Remote.serve(backing);
        proxy.release(server.port());
    }
}
