package org.cairndb.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.TransactionMetadata;
import org.junit.jupiter.api.Test;

/**
 * What a commit wrote enters the record cache when its FINISH answer is read, unless an
 * invalidation newer than the commit came first: a server answering FINISH only once the
 * commit's pushes are written (to a slow client, that can take a while) may meanwhile push a
 * later commit of the same object to us. A fake server writes exactly those frames.
 */
class CommitCacheTest {
    private static final long OID = 5;
    private static final long OURS = 1000;
    private static final long LATER = 2000;

    @Test
    void finishAnswer_afterOnlyItsOwnInvalidation_cachesTheRecord() throws Exception {
        assertThat(commitWhileServerPushes(false)).isEqualTo(1);
    }

    @Test
    void finishAnswer_afterALaterCommitsInvalidation_doesNotCacheTheOvertakenRecord() throws Exception {
        assertThat(commitWhileServerPushes(true))
                .as("records cached after the commit")
                .isZero();
    }

    /** Commits one record; the fake pushes our invalidation (and a later commit's, if asked) before the FINISH answer. */
    private static long commitWhileServerPushes(boolean laterCommitFirst) throws Exception {
        try (FakeServer fake = new FakeServer();
                RemoteStorage s = fake.connect("")) {
            FakeServer.Conn c = fake.conns.get(0);
            CompletableFuture<Long> committed = CompletableFuture.supplyAsync(() -> {
                StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
                t.store(OID, 0, Remote.value(1));
                t.vote();
                return t.finish();
            });
            Frame vote = c.next(Op.VOTE_TOKEN);
            c.write(new PayloadWriter().i64(0).i32(0).frame(vote.requestId(), Op.RESULT));
            Frame finish = c.next(Op.FINISH);
            c.write(new PayloadWriter().i64(OURS).longs(new long[] {OID}).frame(0, Op.INVALIDATE));
            if (laterCommitFirst)
                c.write(new PayloadWriter().i64(LATER).longs(new long[] {OID}).frame(0, Op.INVALIDATE));
            c.write(new PayloadWriter().i64(OURS).frame(finish.requestId(), Op.RESULT));
            assertThat(committed.get(30, TimeUnit.SECONDS)).isEqualTo(OURS);
            return s.cachedRecords();
        }
    }
}
