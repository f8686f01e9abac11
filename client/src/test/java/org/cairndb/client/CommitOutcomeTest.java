package org.cairndb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.cairndb.client.collections.Counter;
import org.cairndb.storage.CommitOutcomeUnknownException;
import org.cairndb.storage.RetryableException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageException;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What commit() and run() report, with failures injected at the seams where a lost
 * connection makes them happen (see {@link FaultyStorage}); the same cases over real
 * sockets, servers and PostgreSQL are in {@code remote.ExactlyOnceTest}.
 */
class CommitOutcomeTest {
    private final Storage backingA = Storages.open("temp:");
    private final Storage backingB = Storages.open("temp:");
    private final FaultyStorage a = new FaultyStorage(backingA);
    private final FaultyStorage b = new FaultyStorage(backingB);
    private Database db;

    @AfterEach
    void close() {
        if (db != null) db.close();
        backingA.close();
        backingB.close();
    }

    private Connection openOne() {
        db = Database.open(a.storage);
        Connection c = db.open();
        db.transactionManager().run(3, () -> c.root().put("n", c.add(new Counter())));
        return c;
    }

    private Connection openTwo() {
        db = Database.builder().mount("a", a.storage).mount("b", b.storage).open();
        Connection c = db.open();
        db.transactionManager().run(3, () -> {
            c.root("a").put("n", c.add(new Counter(), "a"));
            c.root("b").put("n", c.add(new Counter(), "b"));
        });
        return c;
    }

    private static long value(Connection c, String mount) {
        c.transactionManager().begin();
        return ((Counter) c.root(mount).get("n")).get();
    }

    /** Issue 12, item 1: the sync after a durable commit failed, and run() committed the work again. */
    @Test
    void syncAfterFinishFails_commitSucceeds_runDoesNotApplyTwice() {
        Connection c = openOne();
        TransactionManager tm = db.transactionManager();
        a.failSyncsAfterFinish.set(1);
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 5; i++) {
            tm.run(10, () -> {
                calls.incrementAndGet();
                ((Counter) c.root().get("n")).add(1);
            });
        }
        a.failSyncsAfterFinish.set(0);
        assertThat(calls).as("each work ran once: its commit succeeded").hasValue(5);
        assertThat(value(c, "main")).isEqualTo(5);
    }

    /** Item 1: begin() sits inside run()'s try, so its retryable failure (a lost sync) is retried like any other. */
    @Test
    void beginFailsRetryably_runRetries() {
        Connection c = openOne();
        a.failSyncs.set(1);
        db.transactionManager().run(3, () -> ((Counter) c.root().get("n")).add(1));
        assertThat(value(c, "main")).isEqualTo(1);
    }

    /** Item 1: cleanup after a failed vote (a sync that fails too) never replaces the original exception. */
    @Test
    void voteFailsThenCleanupFails_originalExceptionReported() {
        Connection c = openOne();
        TransactionManager tm = db.transactionManager();
        StorageException diskFull = new StorageException("injected: disk full");
        assertThatThrownBy(() -> tm.run(5, () -> {
                    ((Counter) c.root().get("n")).add(1);
                    a.failVote.set(diskFull);
                    a.failSyncs.set(1); // the abort's sync fails: retryable, but must not be what run() sees
                }))
                .isSameAs(diskFull)
                .satisfies(e -> assertThat(e.getSuppressed()).isNotEmpty());
        assertThat(value(c, "main")).isZero();
    }

    /** Item 1: the abort that ends readOnly(work) never replaces the work's own exception. */
    @Test
    void readOnlyWorkFailsThenAbortFails_originalExceptionReported() {
        Connection c = openOne();
        IllegalStateException boom = new IllegalStateException("injected: the work failed");
        assertThatThrownBy(() -> db.transactionManager().readOnly(() -> {
                    ((Counter) c.root().get("n")).get();
                    a.failSyncs.set(1); // the abort's sync fails
                    throw boom;
                }))
                .isSameAs(boom)
                .satisfies(e -> assertThat(e.getSuppressed()).isNotEmpty());
    }

    /** Item 1: an unknown outcome is never retried. */
    @Test
    void finishOutcomeUnknown_notRetried() {
        Connection c = openOne();
        AtomicInteger calls = new AtomicInteger();
        a.failFinish.set(new CommitOutcomeUnknownException("injected: unknown", 0, null));
        assertThatThrownBy(() -> db.transactionManager().run(5, () -> {
                    calls.incrementAndGet();
                    ((Counter) c.root().get("n")).add(1);
                }))
                .isInstanceOf(CommitOutcomeUnknownException.class);
        assertThat(calls).hasValue(1);
    }

    /** Item 7: giving up says how many attempts were made, and is still retryable. */
    @Test
    void everyAttemptFails_exceptionCarriesAttempts() {
        openOne();
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> db.transactionManager().run(4, () -> {
                    calls.incrementAndGet();
                    throw new RetryableException("injected conflict");
                }))
                .isInstanceOfSatisfying(RetriesExhaustedException.class, e -> {
                    assertThat(e.attempts()).isEqualTo(4);
                    assertThat(e.getCause()).hasMessage("injected conflict");
                    assertThat(e.getMessage()).contains("4 attempt(s)");
                });
        assertThat(calls).hasValue(4);
    }

    /** Item 2: a remote mount's finish goes first; when it fails nothing is committed, and run() retries all. */
    @Test
    void twoMounts_remoteFinishFails_nothingCommitted_retried() {
        Connection c = openTwo();
        b.remote = true; // b's name sorts last, so it votes last, but as the remote one it finishes first
        for (int i = 0; i < 6; i++) {
            if (i % 2 == 0) b.failFinish.set(new RetryableException("injected: lost during FINISH; NOT committed"));
            db.transactionManager().run(5, () -> {
                ((Counter) c.root("a").get("n")).add(1);
                ((Counter) c.root("b").get("n")).add(1);
            });
        }
        assertThat(value(c, "a")).isEqualTo(6);
        assertThat(value(c, "b")).isEqualTo(6);
    }

    /** Item 2: the first finish's outcome unknown while another mount took part: maybe partial, reported so, hosed. */
    @Test
    void twoMounts_firstFinishUnknown_maybePartial_databaseHosed() {
        Connection c = openTwo();
        b.remote = true;
        b.failFinish.set(new CommitOutcomeUnknownException("injected: unknown", 0, null));
        assertThatThrownBy(() -> db.transactionManager().run(5, () -> {
                    ((Counter) c.root("a").get("n")).add(1);
                    ((Counter) c.root("b").get("n")).add(1);
                }))
                .isInstanceOfSatisfying(PartialCommitException.class, e -> {
                    assertThat(e.outcomes())
                            .containsEntry("b", PartialCommitException.Outcome.UNKNOWN)
                            .containsEntry("a", PartialCommitException.Outcome.NOT_COMMITTED);
                    assertThat(e.getMessage()).contains("may have been");
                });
        assertThat(db.isHosed()).isTrue();
        c.transactionManager().abort();
    }

    /** Item 2: a failure after another mount finished is a partial commit: named, not retried, database hosed. */
    @Test
    void twoMounts_secondFinishFails_partialCommit_databaseHosed() {
        Connection c = openTwo();
        AtomicInteger calls = new AtomicInteger();
        b.failFinish.set(new RetryableException("injected: lost during FINISH; NOT committed"));
        assertThatThrownBy(() -> db.transactionManager().run(5, () -> {
                    calls.incrementAndGet();
                    ((Counter) c.root("a").get("n")).add(1);
                    ((Counter) c.root("b").get("n")).add(1);
                }))
                .isInstanceOfSatisfying(PartialCommitException.class, e -> {
                    assertThat(e.outcomes())
                            .containsEntry("a", PartialCommitException.Outcome.COMMITTED)
                            .containsEntry("b", PartialCommitException.Outcome.NOT_COMMITTED);
                    assertThat(e.getMessage()).contains("a: committed").contains("b: not committed");
                });
        assertThat(calls).as("not retried").hasValue(1);
        assertThat(db.isHosed()).isTrue();
        assertThatThrownBy(() -> db.transactionManager().commit()).isInstanceOf(DatabaseHosedException.class);
        assertThatThrownBy(db::open).isInstanceOf(DatabaseHosedException.class);
        c.transactionManager().abort();
        c.close();
        db.close();
        db = Database.builder().mount("a", a.storage).mount("b", b.storage).open();
        assertThat(db.isHosed()).as("reopened").isFalse();
        Connection again = db.open();
        assertThat(value(again, "a")).isEqualTo(1);
        assertThat(value(again, "b")).isZero();
    }
}
