package org.cairndb.server;

import java.util.Map;
import org.cairndb.protocol.CommitOutcome;
import org.cairndb.storage.Capability;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionRecord;

/**
 * OUTCOME for a token this server has no record of (it was restarted) when the storage has
 * commits after the vote: "committed" proven from the storage's own transactions, where it
 * can be.
 *
 * <h2>Why the first commit after the vote</h2>
 * The vote answered with the tid V of the commit it follows (on an MVCC storage the last one
 * applied, which under {@code mem:} group commit may not be published yet; else the last one
 * published), and on a single-writer storage the transaction held the commit lock from its
 * vote until it finished or was aborted. So if
 * it committed, nothing committed between V and it: it is the first transaction after V.
 * When the first transaction the storage yields after V holds exactly the records the client
 * wrote (every oid, fingerprints equal, nothing else, nothing packed away), it is this one.
 *
 * <h2>Why never "not committed" from here</h2>
 * Iterators of history-free storages (mem:, temp:) yield only revisions still current and
 * skip transactions with none left: a commit of ours overwritten since is invisible, and the
 * first transaction yielded may be a later one. A mismatch therefore proves nothing, and the
 * answer stays "unknown" (null here). The one false "committed" left: after this transaction
 * failed, another transaction as the first after V wrote byte-identical records to exactly
 * the same objects; the database then holds what this one would have written.
 *
 * <p>Storages with several writers order nothing by the vote: never judged here.
 */
final class FirstCommitCheck {
    private FirstCommitCheck() {}

    /** COMMITTED when the storage's first transaction after the vote is provably this one, else null. */
    static CommitOutcome judge(
            ServedStorage served, CommitOutcomes.Token token, long voteTid, long lastTid, Map<Long, Long> written) {
        if (written == null || written.isEmpty() || served.storage.supports(Capability.MULTI_WRITER)) return null;
        if (Long.compareUnsigned(lastTid, voteTid) <= 0) return null;
        TransactionRecord first;
        try (CloseableIterator<TransactionRecord> it = served.storage.iterator(voteTid + 1, lastTid)) {
            if (!it.hasNext()) return null;
            first = it.next();
        } catch (UnsupportedOperationException | org.cairndb.storage.StorageException e) {
            return null;
        }
        if (first.packed() || first.revisions().size() != written.size()) return null;
        for (Revision r : first.revisions()) {
            Long f = written.get(r.oid());
            if (r.isBackpointer() || f == null || f != CommitOutcome.fingerprint(r.data())) return null;
        }
        return new CommitOutcome(
                CommitOutcome.COMMITTED,
                first.tid(),
                "storage '" + served.name + "': this server has no record of"
                        + " transaction token " + token
                        + " (it was restarted), but the first commit after the vote's tid " + Tid.hex(voteTid)
                        + ", " + Tid.hex(first.tid()) + ", holds exactly the records this transaction wrote");
    }
}
