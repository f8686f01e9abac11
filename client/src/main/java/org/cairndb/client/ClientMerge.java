package org.cairndb.client;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.cairndb.client.conflict.Resolvable;
import org.cairndb.storage.Capability;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.ReadConflictException;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.conflict.ResolverRegistry;

/**
 * One {@link Jar}'s storage transaction during commit, and the client-side merge loop: on a
 * storage that only detects write conflicts, a conflict on an object of a resolvable class
 * is merged here and the transaction staged again.
 *
 * <h2>Conflicts on storages that only detect them</h2>
 * A storage with {@link Capability#CONFLICT_RESOLUTION} merges write conflicts itself at
 * vote. For one without it ({@code mem:}) this class keeps the record each loaded object of a
 * resolvable class came from (its ancestor), and when vote reports a conflict on such an
 * object it reads the committed record, merges with the same resolvers the storage would
 * use, and stages the whole transaction again from the stores it kept (a storage
 * transaction that met a conflict is over). It does so at most {@link #ROUNDS} times; then
 * the conflict stands and {@code run(...)} retries the work. Vote returns every merged
 * record, the storage's and its own, so the jar turns those objects into ghosts after
 * commit (their stored state is not the one in memory), as with a storage-side merge.
 *
 * <h2>readCurrent of an object also written</h2>
 * {@link Connection#readCurrent} promises that the object is still the revision read. For an
 * object the transaction also stores, the store itself carries that read tid, but a merge
 * would let it commit over a concurrent change, breaking the promise (a write skew: the
 * decision was taken on state that changed). So such an object is never merged: a merge of
 * it by the storage (reported by vote) fails the commit with a {@link ReadConflictException},
 * and this class does not merge it itself.
 * <i>Alternative rejected:</i> sending a checkCurrent as well: the SPI does not say what a
 * storage does with a checkCurrent and a store of one oid, and the PostgreSQL storage drops
 * the check for oids it also writes.
 *
 * <h2>Concurrency</h2>
 * None inside: used by its jar's connection thread only.
 */
final class ClientMerge {
    /** How many conflicts one commit merges here before the conflict stands. */
    static final int ROUNDS = 8;

    private final Storage storage;
    private final Supplier<ResolverRegistry> resolvers;
    private final boolean enabled;
    /** The record each loaded object of a resolvable class was loaded from (the ancestor of a later merge); empty when disabled. */
    private final HashMap<Long, byte[]> ancestors = new HashMap<>();

    private StorageTransaction txn;
    private TransactionMetadata metadata;
    /** This transaction's stores (oid → data, oid → read tid), kept to stage it again after a merge. */
    private final LinkedHashMap<Long, byte[]> staged = new LinkedHashMap<>();

    private final HashMap<Long, Long> stagedRead = new HashMap<>();

    /**
     * @param resolvers the database's resolvers, asked for only when a merge is tried
     */
    ClientMerge(Storage storage, Supplier<ResolverRegistry> resolvers) {
        this.storage = storage;
        this.resolvers = resolvers;
        this.enabled = !storage.supports(Capability.CONFLICT_RESOLUTION) && !storage.supports(Capability.READ_ONLY);
    }

    /** Whether this storage's conflicts are merged here (it only detects them and can be written). */
    boolean enabled() {
        return enabled;
    }

    // ---- ancestors ----

    /** {@code p} was loaded from (or committed as) {@code record}: keep it as the ancestor of a later merge. */
    void loaded(Persistent p, byte[] record) {
        if (p instanceof Resolvable<?>) ancestor(p.oid(), record);
    }

    /** Keeps {@code record} as the ancestor of a later merge of {@code oid} (when merging here at all). */
    void ancestor(long oid, byte[] record) {
        if (enabled) ancestors.put(oid, record);
    }

    /** {@code oid}'s state in memory is gone (a ghost): its ancestor is no longer needed. */
    void forget(long oid) {
        if (enabled) ancestors.remove(oid);
    }

    /** The ancestor kept for {@code oid}, or null. */
    byte[] ancestorOf(long oid) {
        return ancestors.get(oid);
    }

    // ---- the storage transaction ----

    /** Begins the storage transaction of a commit. */
    void begin(TransactionMetadata md) {
        txn = storage.begin(md);
        metadata = md;
        staged.clear();
        stagedRead.clear();
    }

    void store(long oid, long readTid, byte[] data) {
        txn.store(oid, readTid, data);
        staged.put(oid, data);
        stagedRead.put(oid, readTid);
    }

    void checkCurrent(long oid, long readTid) {
        txn.checkCurrent(oid, readTid);
    }

    /** The record this commit stores for {@code oid} (after any merge), or null. */
    byte[] staged(long oid) {
        return staged.get(oid);
    }

    /**
     * Votes, merging here a write conflict the storage only detected (see the class comment)
     * and staging the transaction again, a few rounds at most.
     *
     * @param readCurrent the objects declared readCurrent (oid → read tid): never merged
     * @return every record merged (by the storage or here), oid → stored record
     * @throws ConflictException     a conflict no resolver could merge (the transaction is over)
     * @throws ReadConflictException a readCurrent object the storage merged
     */
    Map<Long, byte[]> vote(Map<Long, Long> readCurrent) {
        Map<Long, byte[]> clientMerged = new HashMap<>();
        for (int round = 0; ; round++) {
            try {
                Map<Long, byte[]> r = txn.vote();
                refuseMergedReadCurrent(r, readCurrent);
                if (!clientMerged.isEmpty()) {
                    clientMerged.putAll(r);
                    r = clientMerged;
                }
                return r;
            } catch (ConflictException e) {
                txn = null;
                byte[] merged = round < ROUNDS ? mergeHere(e, readCurrent) : null;
                if (merged == null) throw e;
                clientMerged.put(e.oid(), merged);
                txn = storage.begin(metadata);
                for (Map.Entry<Long, byte[]> w : staged.entrySet())
                    txn.store(w.getKey(), stagedRead.get(w.getKey()), w.getValue());
                for (Map.Entry<Long, Long> r : readCurrent.entrySet()) {
                    if (!staged.containsKey(r.getKey())) txn.checkCurrent(r.getKey(), r.getValue());
                }
            }
        }
    }

    /** A store of an object declared readCurrent was merged by the storage: that breaks the readCurrent, so fail. */
    private void refuseMergedReadCurrent(Map<Long, byte[]> storageMerged, Map<Long, Long> readCurrent) {
        for (Long oid : storageMerged.keySet()) {
            if (!readCurrent.containsKey(oid)) continue;
            txn.abort();
            txn = null;
            long current;
            try {
                current = storage.load(oid).tid();
            } catch (RuntimeException unknown) {
                current = Tid.ZERO; // only for the message
            }
            byte[] data = staged.get(oid);
            throw new ReadConflictException(
                    oid,
                    data == null ? null : RecordHeader.classNameOf(data),
                    readCurrent.get(oid),
                    current,
                    "it was declared readCurrent and changed concurrently; a merge of"
                            + " the concurrent change was refused because this transaction's decisions rest on the revision it read");
        }
    }

    /** The merged record for the conflict {@code e}, now staged in place of ours; null when it cannot be merged here. */
    private byte[] mergeHere(ConflictException e, Map<Long, Long> readCurrent) {
        if (!enabled || e instanceof ReadConflictException) return null;
        if (readCurrent.containsKey(e.oid()))
            return null; // declared read-current: never merged (see the class comment)
        long oid = e.oid();
        byte[] mine = staged.get(oid);
        byte[] ancestor = ancestors.get(oid);
        if (mine == null || ancestor == null) return null;
        Loaded current;
        try {
            current = storage.load(oid);
        } catch (PosKeyException gone) {
            return null;
        }
        byte[] merged = resolvers.get().tryResolve(oid, ancestor, current.data(), mine);
        if (merged == null) return null;
        staged.put(oid, merged);
        stagedRead.put(oid, current.tid());
        ancestors.put(oid, current.data());
        return merged;
    }

    /** Finishes the voted transaction; its tid. */
    long finish() {
        long tid = txn.finish();
        txn = null;
        return tid;
    }

    /** Aborts the storage transaction, if one is open, and forgets the stores. */
    void abort() {
        if (txn != null) {
            txn.abort();
            txn = null;
        }
        clear();
    }

    /** Forgets the stores of the ended commit. */
    void clear() {
        staged.clear();
        stagedRead.clear();
    }
}
