package org.cairndb.tasks;

import org.cairndb.client.Persistent;

/**
 * The one running place of a serial queue: which job holds it, under which worker's lease.
 * Claims of a serial queue write it (they must: two of them are exactly what has to
 * conflict); completions release it. A holder whose lease ran out frees it for others.
 */
final class SerialSlot extends Persistent {
    long job = -1;
    WorkerLease lease;

    boolean freeFor(long jobOid, long now) {
        activate();
        return job < 0 || job == jobOid || lease == null || !lease.alive(now);
    }

    /** When the holder's lease runs out (for a timer), or 0 when free. */
    long heldUntil() {
        activate();
        return job < 0 || lease == null ? 0 : lease.expiresAt();
    }

    void hold(long jobOid, WorkerLease l) {
        changing();
        job = jobOid;
        lease = l;
    }

    void release(long jobOid) {
        activate();
        if (job != jobOid) return;
        changing();
        job = -1;
        lease = null;
    }
}
