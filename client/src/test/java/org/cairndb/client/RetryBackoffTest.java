package org.cairndb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.conformance.Records;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.Test;

/** run()'s backoff on its own: the bound per failure count, and the wait's two ends (a timer, a commit). */
class RetryBackoffTest {
    private static final long ONE_HOUR_MICROS = 3_600_000_000L;

    @Test
    void no_wait_after_one_failure_then_1ms_doubling_up_to_100ms() {
        assertThat(RetryBackoff.boundMicros(0)).isZero();
        assertThat(RetryBackoff.boundMicros(1)).isZero();
        assertThat(RetryBackoff.boundMicros(2)).isEqualTo(1_000);
        assertThat(RetryBackoff.boundMicros(3)).isEqualTo(2_000);
        assertThat(RetryBackoff.boundMicros(8)).isEqualTo(64_000);
        assertThat(RetryBackoff.boundMicros(9)).isEqualTo(100_000);
        assertThat(RetryBackoff.boundMicros(1_000)).isEqualTo(100_000);
        assertThat(RetryBackoff.boundMicros(Integer.MAX_VALUE)).isEqualTo(100_000);
    }

    @Test
    void after_one_failure_returns_without_asking_for_the_storages() {
        RetryBackoff.before(1, conflict(), () -> {
            throw new AssertionError("storages asked for although there is no wait");
        });
    }

    @Test
    void the_timer_ends_a_wait_when_nothing_commits() {
        RetryBackoff.await(1, 2, conflict(), List.of());
    }

    @Test
    void a_commit_of_a_storage_in_use_ends_a_long_wait() {
        try (Storage storage = Storages.open("temp:")) {
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(
                    () -> RetryBackoff.await(ONE_HOUR_MICROS, 5, conflict(), List.of(storage)));
            long oid = storage.newOids(1)[0];
            long tid = Tid.ZERO;
            while (!waiting.isDone()) { // the waiter may not listen yet: commit until it hears one
                StorageTransaction t = storage.begin(TransactionMetadata.EMPTY);
                t.store(oid, tid, Records.counter(1));
                t.vote();
                tid = t.finish();
            }
            waiting.join();
        }
    }

    @Test
    void an_interrupted_wait_gives_up_and_keeps_the_interrupt() {
        ConflictException last = conflict();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> RetryBackoff.await(ONE_HOUR_MICROS, 4, last, List.of()))
                    .isInstanceOf(RetriesExhaustedException.class)
                    .hasCause(last)
                    .satisfies(e -> assertThat(((RetriesExhaustedException) e).attempts())
                            .isEqualTo(4));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    private static ConflictException conflict() {
        return new ConflictException(1, null, 2, 3, "test conflict");
    }
}
