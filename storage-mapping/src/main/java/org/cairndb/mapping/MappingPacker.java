package org.cairndb.mapping;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cairndb.storage.Oid;
import org.cairndb.storage.PackProgress;
import org.cairndb.storage.PackResult;
import org.cairndb.storage.RecordHeader;

/**
 * Pack of a {@link MappingStorage}, run under the commit lock. There is no history to cut
 * (older revisions are already gone unless a snapshot needs them), so pack is the garbage
 * collection: mark from the root through record-header references, with every foreign record
 * (no Cairn header) and every record whose header cannot be read as a root, then remove the
 * unmarked objects. A persisted storage then writes an empty journal record, so a crash
 * right after cannot bring a removed object back by redoing the last transaction.
 *
 * <p>The mark set lives on the heap (a set of the reachable oids) while pack runs.
 */
final class MappingPacker {
    private final MappingStorage storage;

    MappingPacker(MappingStorage storage) {
        this.storage = storage;
    }

    /** @param beforeTid the pack time: objects written after it are roots (a running transaction may link them) */
    PackResult pack(long beforeTid, PackProgress progress) {
        var map = storage.store().map;
        long total = map.longSize();
        Set<Long> marked = new HashSet<>();
        ArrayDeque<Long> todo = new ArrayDeque<>();
        todo.add(Oid.ROOT);
        map.forEach((oid, v) -> {
            if ((v[1] & 1) == 0) return;
            RecordCodec.Head head = RecordCodec.decode(oid, v);
            if (!RecordHeader.isCairnRecord(head.data()) || head.tid() > beforeTid) todo.add(oid);
        });
        while (!todo.isEmpty()) {
            long oid = todo.poll();
            if (!marked.add(oid)) continue;
            if (marked.size() % 100_000 == 0) progress.progress("mark", marked.size(), total);
            RecordCodec.Head h = storage.head(oid);
            if (h == null || h.data() == null || !RecordHeader.isCairnRecord(h.data())) continue;
            try {
                for (long r : RecordHeader.parse(h.data()).header().references()) if (!marked.contains(r)) todo.add(r);
            } catch (RuntimeException corrupt) {
                // unreadable header: the object stays (it is marked); its references are unknown
            }
        }
        progress.progress("mark", marked.size(), total);
        List<Long> garbage = new ArrayList<>();
        map.forEach((oid, v) -> {
            if (!marked.contains(oid)) garbage.add(oid);
        });
        long removedObjects = 0;
        long removedRevisions = 0;
        for (Long oid : garbage) {
            byte[] v = map.remove(oid);
            if (v == null) continue;
            removedRevisions++;
            if ((v[1] & 1) != 0) {
                removedObjects++;
                storage.liveObjects().decrementAndGet();
            }
            storage.trim(oid);
        }
        storage.store().journal(storage.lastTid(), storage.peekNextOid(), storage.liveObjects().get(), List.of());
        progress.progress("sweep", garbage.size(), garbage.size());
        return new PackResult(removedRevisions, removedObjects, storage.liveObjects().get());
    }
}
