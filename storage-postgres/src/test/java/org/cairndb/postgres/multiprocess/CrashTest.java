package org.cairndb.postgres.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.cairndb.postgres.testing.RestartablePostgres;
import org.cairndb.postgres.testing.TestPostgres;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.TransactionRecord;
import org.cairndb.storage.conformance.Kit;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Writers killed with SIGKILL, and PostgreSQL restarted under load. */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a deadline that fails a hung test
class CrashTest {
    private static final int ACCOUNTS = 5;
    private static final long INITIAL = 1000;

    /**
     * One process transfers in a loop and is killed -9 at an arbitrary point; another is
     * killed -9 after vote, while it holds its row lock. Afterwards every transfer a writer
     * reported committed is in the log, every logged transfer wrote both accounts (none half
     * applied), balances still sum to the total, and the killed processes' locks are gone: a
     * transaction writing every account commits.
     */
    @Test
    void killDashNine_writersMidCommit_noCommitLostNoneHalfAppliedLocksReleased() throws Exception {
        TestPostgres pg = TestPostgres.get();
        String uri = pg.uri(pg.newDatabase("crash"), "history=preserving&pool=3");
        try (Storage s = Storages.open(uri)) {
            Bank.open(s, ACCOUNTS, INITIAL);
        }
        Set<Long> reported = ConcurrentHashMap.newKeySet();
        try (Child looper = new Child("loop", uri, "" + ACCOUNTS, "" + INITIAL, "5")) {
            for (int i = 0; i < 30; i++)
                reported.add(Bank.Transfer.parse(looper.await("COMMIT")).tid());
            looper.killDashNine();
        }
        long before;
        try (Storage s = Storages.open(uri)) {
            before = s.lastTid();
        }
        long account1;
        try (Storage s = Storages.open(uri)) {
            account1 = Kit.currentTid(s, 1);
        }
        try (Child holder = new Child("hold", uri, "1", "" + account1)) {
            holder.await("VOTED"); // holds the row lock of account 1 now
            holder.killDashNine();
        }
        try (Storage s = Storages.open(uri)) {
            assertThat(s.lastTid()).isEqualTo(before); // the holder's transaction left nothing
            List<TransactionRecord> log = Kit.transactions(s);
            Set<Long> logged = log.stream().map(TransactionRecord::tid).collect(Collectors.toSet());
            assertThat(logged).containsAll(reported);
            for (TransactionRecord t : log) {
                if (t.metadata().description().equals("transfer"))
                    assertThat(t.revisions()).hasSize(2);
            }
            try (StorageView v = s.openView()) {
                assertThat(Bank.sum(v, ACCOUNTS)).isEqualTo(ACCOUNTS * INITIAL);
                var t = s.begin(null);
                for (long oid = 1; oid <= ACCOUNTS; oid++)
                    t.store(oid, v.load(oid).tid(), v.load(oid).data());
                t.vote(); // waits, if at all, only until PostgreSQL has noticed the dead sessions
                t.finish();
            }
        }
    }

    /**
     * Three writer threads transfer in loops while PostgreSQL is stopped (fast shutdown: open
     * sessions are cut) and started again on the same data directory and port. Writers see
     * RetryableExceptions while it is away and go on by themselves once it is back; nothing a
     * writer was told committed is lost, the sum holds, no transfer is half applied.
     */
    @Test
    void restartPostgres_underLoad_writersRecoverAndNothingCommittedIsLost(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("pgdata"));
        RestartablePostgres pg = TestPostgres.restartable(data);
        Assumptions.assumeTrue(
                pg != null, "CAIRN_PG_URL is set: this test needs the embedded PostgreSQL it can restart");
        try (pg;
                Storage s = Storages.open(pg.uri("history=free&pool=6"))) {
            Bank.open(s, ACCOUNTS, INITIAL);
            Set<Long> committed = ConcurrentHashMap.newKeySet();
            AtomicInteger retryable = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch warm = new CountDownLatch(20);
            CountDownLatch recovered = new CountDownLatch(20);
            AtomicBoolean restarted = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int seed = w;
                Thread t = new Thread(
                        () -> {
                            SplittableRandom rnd = new SplittableRandom(seed);
                            StorageView v = null;
                            while (!stop.get()) {
                                try {
                                    if (v == null) v = s.openView();
                                    Bank.Transfer tr = Bank.transfer(s, v, ACCOUNTS, ACCOUNTS * INITIAL, rnd);
                                    if (tr != null) {
                                        committed.add(tr.tid());
                                        warm.countDown();
                                        if (restarted.get()) recovered.countDown();
                                    }
                                } catch (RetryableException e) {
                                    retryable.incrementAndGet(); // PostgreSQL away: go on, the storage reconnects
                                } catch (Throwable e) {
                                    failure.compareAndSet(null, e);
                                    return;
                                }
                            }
                            if (v != null) v.close();
                        },
                        "writer-" + w);
                t.start();
                writers.add(t);
            }
            warm.await();
            pg.stop();
            restarted.set(true);
            pg.start();
            recovered.await();
            stop.set(true);
            for (Thread t : writers) t.join();
            assertThat(failure.get()).isNull();
            assertThat(retryable.get()).isPositive();
            Set<Long> logged =
                    Kit.transactions(s).stream().map(TransactionRecord::tid).collect(Collectors.toSet());
            assertThat(logged).containsAll(committed);
            try (StorageView v = s.openView()) {
                assertThat(Bank.sum(v, ACCOUNTS)).isEqualTo(ACCOUNTS * INITIAL);
            }
        }
    }
}
