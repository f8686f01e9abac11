package org.cairndb.server;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.cairndb.protocol.CommitOutcome;
import org.cairndb.protocol.ProtocolException;

/**
 * What became of recent transactions of one storage, by the token their client chose at
 * VOTE_TOKEN: the answer to OUTCOME, asked by a client whose connection dropped while its
 * FINISH was in flight (it cannot know whether the commit happened).
 *
 * <h2>Why a future per token</h2>
 * The client asks on a new connection, possibly before this server has even noticed that
 * the old one is gone, while the old transaction's FINISH may still be running. Each token's
 * outcome is therefore a future, registered when the vote arrives and completed exactly once
 * by whatever ends the transaction (finish after the commit is published, abort, failed
 * vote, the connection's drop). OUTCOME answers when it completes: no polling, no guessing.
 *
 * <h2>Bounds</h2>
 * Settled outcomes are kept for the last {@code capacity} tokens (oldest dropped first);
 * unsettled ones are never dropped (there are at most as many as open voted transactions).
 * A token no longer (or never) here is answered from the storage itself by {@link Session}
 * (a server restart loses this record; the storage's last tid does not).
 *
 * <h2>Alternatives rejected</h2>
 * Keeping the tid in the transaction's metadata (it would change what users stored and read
 * back in history), and a persistent record file (the server has no state directory; the
 * storage's last tid already proves "not committed" in the common restart case).
 */
final class CommitOutcomes {
    /** A client-chosen transaction token: 128 bits (the Java client: a random half and a counter). */
    record Token(long hi, long lo) {
        @Override
        public String toString() {
            return String.format("%016x%016x", hi, lo);
        }
    }

    private final int capacity;
    private final LinkedHashMap<Token, CompletableFuture<CommitOutcome>> byToken = new LinkedHashMap<>();

    CommitOutcomes(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    /** Starts tracking a voted transaction; a token already in use is a protocol error. */
    synchronized CompletableFuture<CommitOutcome> register(Token token) {
        CompletableFuture<CommitOutcome> f = new CompletableFuture<>();
        if (byToken.putIfAbsent(token, f) != null) {
            throw new ProtocolException("VOTE_TOKEN with token " + token + " which this storage has already seen"
                    + " (a token names one transaction: choose a fresh one per transaction)");
        }
        trim();
        return f;
    }

    /** The outcome future of token, or null when this server has no record of it. */
    synchronized CompletableFuture<CommitOutcome> lookup(Token token) {
        return byToken.get(token);
    }

    synchronized int size() {
        return byToken.size();
    }

    private void trim() {
        Iterator<Map.Entry<Token, CompletableFuture<CommitOutcome>>> it =
                byToken.entrySet().iterator();
        int excess = byToken.size() - capacity;
        while (excess > 0 && it.hasNext()) {
            if (it.next().getValue().isDone()) {
                it.remove();
                excess--;
            }
        }
    }
}
