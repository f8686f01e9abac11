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
 * (no Cairn header), every object written after the pack time and every record whose header cannot be read as a root, then remove the
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

    PackResult pack(long beforeTid, PackProgress progress) {
        var map = storage.store().map;
        long total = map.longSize();
        Set<Long> marked = new HashSet<>();
        ArrayDeque<Long> todo = new ArrayDeque<>();
        todo.add(Oid.ROOT);
        // Roots besides oid 0: foreign records, and objects written after beforeTid (garbage is
        // judged as of beforeTid; a transaction still running may be about to link them).
        List<Long> foreignCandidates = new ArrayList<>();
        map.forEach((oid, v) -> {
            if (RecordCodec.tid(v) > beforeTid) todo.add(oid);
            else if (RecordCodec.hasData(v)) foreignCandidates.add(oid);
        });
        for (Long oid : foreignCandidates) {
            RecordCodec.Head h = storage.head(oid); // outside the scan: a spilled record reads its chunks
            if (h != null && h.data() != null && !RecordHeader.isCairnRecord(h.data())) todo.add(oid);
        }
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
        Set<Long> liveChunks = new HashSet<>();
        map.forEach((oid, v) -> {
            if (!marked.contains(oid)) {
                garbage.add(oid);
            } else {
                long[] range = RecordCodec.chunkRange(v);
                if (range != null) for (int c = 0; c < range[1]; c++) liveChunks.add(range[0] + c);
            }
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
        // Chunks no live record points to: of removed records, or left by a crash between a
        // commit and the freeing of the chunks it replaced.
        var chunkMap = storage.store().chunksIfAny();
        if (chunkMap != null) {
            List<Long> chunks = new ArrayList<>(chunkMap.keySet());
            for (Long key : chunks) if (!liveChunks.contains(key)) chunkMap.remove(key);
        }
        storage.store()
                .journal(
                        storage.lastTid(),
                        storage.peekNextOid(),
                        storage.liveObjects().get(),
                        storage.peekNextChunkKey(),
                        List.of());
        progress.progress("sweep", garbage.size(), garbage.size());
        return new PackResult(
                removedRevisions, removedObjects, storage.liveObjects().get());
    }
}
