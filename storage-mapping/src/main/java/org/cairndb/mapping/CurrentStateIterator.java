package org.cairndb.mapping;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.ReadConflictException;
import org.cairndb.storage.Revision;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;
import org.cairndb.storage.spi.RevisionChains;
import org.cairndb.storage.spi.ViewRegistry;

/**
 * Iteration of a {@link MappingStorage}: the state as of the moment it starts (a pinned
 * snapshot), each current revision under the transaction that wrote it, in tid order.
 *
 * <p>One scan of the map collects (tid, oid) pairs into two primitive arrays; a counting
 * placement groups the oids by tid; each group is then loaded as of the pinned tid and
 * returned with the metadata stored beside its revisions. Transactions some of whose
 * revisions were superseded come back with {@code packed = true}.
 */
final class CurrentStateIterator implements CloseableIterator<TransactionRecord> {
    private final MappingStorage storage;
    private final ViewRegistry.Ticket pin;
    private final long[] groupTids;
    private final int[] groupStart;
    private final long[] oidsByGroup;
    private int group;
    private TransactionRecord next;
    private boolean done;

    CurrentStateIterator(MappingStorage storage, ViewRegistry.Ticket pin, long fromTid, long toTid) {
        this.storage = storage;
        this.pin = pin;
        long at = pin.tid();
        long hi = Math.min(toTid, at);
        long[][] pairs = {new long[1024], new long[1024]};
        int[] size = {0};
        List<Long> newer = new ArrayList<>(); // changed after the pin: resolved outside the map's scan
        storage.store().map.forEach((oid, v) -> {
            long tid = RecordCodec.tid(v);
            if (tid > at) newer.add(oid);
            else if ((v[1] & 1) != 0 && tid >= fromTid && tid <= hi) add(pairs, size, tid, oid);
        });
        for (Long oid : newer) {
            try {
                long tid = storage.loadAt(oid, at, false).tid();
                if (tid >= fromTid && tid <= hi) add(pairs, size, tid, oid);
            } catch (PosKeyException | ReadConflictException notThen) {
                // no data as of the pin (created later, or deleted then)
            }
        }
        int n = size[0];
        long[] tids = pairs[0];
        long[] oids = pairs[1];
        long[] sorted = Arrays.copyOf(tids, n);
        Arrays.sort(sorted);
        int groups = 0;
        for (int i = 0; i < n; i++) if (i == 0 || sorted[i] != sorted[i - 1]) sorted[groups++] = sorted[i];
        groupTids = Arrays.copyOf(sorted, groups);
        groupStart = new int[groups + 1];
        for (int i = 0; i < n; i++) groupStart[Arrays.binarySearch(groupTids, tids[i]) + 1]++;
        for (int g = 0; g < groups; g++) groupStart[g + 1] += groupStart[g];
        int[] fill = Arrays.copyOf(groupStart, groups);
        oidsByGroup = new long[n];
        for (int i = 0; i < n; i++) oidsByGroup[fill[Arrays.binarySearch(groupTids, tids[i])]++] = oids[i];
    }

    private static void add(long[][] pairs, int[] size, long tid, long oid) {
        if (size[0] == pairs[0].length) {
            pairs[0] = Arrays.copyOf(pairs[0], size[0] * 2);
            pairs[1] = Arrays.copyOf(pairs[1], size[0] * 2);
        }
        pairs[0][size[0]] = tid;
        pairs[1][size[0]++] = oid;
    }

    @Override
    public boolean hasNext() {
        while (next == null && !done) {
            if (group >= groupTids.length) {
                close();
                break;
            }
            next = build(group++);
        }
        return next != null;
    }

    private TransactionRecord build(int g) {
        storage.checkOpen();
        long tid = groupTids[g];
        List<Revision> revs = new ArrayList<>(groupStart[g + 1] - groupStart[g]);
        TransactionMetadata meta = null;
        int written = 0;
        List<Integer> positions = new ArrayList<>();
        for (int i = groupStart[g]; i < groupStart[g + 1]; i++) {
            long oid = oidsByGroup[i];
            Loaded l = storage.loadAt(oid, pin.tid(), false);
            RecordCodec.Head head = storage.stableHead(oid);
            int position = 0;
            if (head != null && head.tid() == tid) {
                meta = head.metadata();
                written = head.txnSize();
                position = head.position();
                revs.add(new Revision(oid, tid, l.data(), head.dataTid()));
            } else {
                OldRev r = findOlder(oid, tid);
                if (r != null) {
                    meta = r.metadata;
                    written = r.txnSize;
                    position = r.position;
                }
                revs.add(new Revision(oid, tid, l.data(), r == null ? 0 : r.dataTid));
            }
            positions.add(position);
        }
        // back into the order the transaction wrote them
        Integer[] order = new Integer[revs.size()];
        for (int k = 0; k < order.length; k++) order[k] = k;
        Arrays.sort(order, (a, b) -> Integer.compare(positions.get(a), positions.get(b)));
        List<Revision> ordered = new ArrayList<>(revs.size());
        for (Integer k : order) ordered.add(revs.get(k));
        boolean packed = written == 0 || ordered.size() < written;
        return new TransactionRecord(tid, packed, meta, ordered);
    }

    private OldRev findOlder(long oid, long tid) {
        return RevisionChains.exactly(storage.older().get(oid), tid);
    }

    @Override
    public TransactionRecord next() {
        if (!hasNext()) throw new NoSuchElementException();
        TransactionRecord r = next;
        next = null;
        return r;
    }

    @Override
    public void close() {
        if (done) return;
        done = true;
        storage.viewReleased(pin);
    }
}
