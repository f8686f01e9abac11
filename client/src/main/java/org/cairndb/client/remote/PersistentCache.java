package org.cairndb.client.remote;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import net.openhft.chronicle.map.ChronicleMap;
import org.cairndb.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache level that survives restarts: a Chronicle Map file, oid → (tid, data), plus two
 * meta entries: the tid the cache is current as of, and which server storage it belongs to
 * (a file pointed at another storage is emptied, not trusted).
 *
 * <h2>Crash safety</h2>
 * The remembered tid is written after the drops of the invalidations up to it, so a process
 * killed between the two restarts with an older tid and asks the server for (and drops)
 * those invalidations again: a crash can only make the cache drop more, never keep a stale
 * record.
 *
 * <p>When the map is full a record is simply not cached (the file's capacity is fixed when
 * it is created; give {@code cache-entries} to size it).
 */
final class PersistentCache {
    private static final Logger log = LoggerFactory.getLogger(PersistentCache.class);
    private static final long META_TID = -1;
    private static final long META_IDENTITY = -2;

    private final ChronicleMap<Long, byte[]> map;
    private final Path file;
    private boolean fullWarned;

    PersistentCache(Path file, long entries, int averageRecordBytes, String identity) {
        this.file = file;
        try {
            File f = file.toFile();
            if (f.getParentFile() != null) f.getParentFile().mkdirs();
            var builder = ChronicleMap.of(Long.class, byte[].class).name("cairn-client-cache")
                    .entries(Math.max(1000, entries)).averageValueSize(Math.max(16, averageRecordBytes + 8));
            // recover, not just open: after a kill -9 the file may hold a half-done update
            map = f.exists() && f.length() > 0 ? builder.recoverPersistedTo(f, true) : builder.createPersistedTo(f);
        } catch (IOException | RuntimeException e) {
            throw new StorageException("cannot open the persistent cache file " + file + ": " + e.getMessage()
                    + " (delete it to start with an empty cache, or choose another ?cache= path)", e);
        }
        byte[] id = identity.getBytes(StandardCharsets.UTF_8);
        byte[] stored = map.get(META_IDENTITY);
        if (stored == null || !Arrays.equals(stored, id)) {
            if (stored != null) log.info("persistent cache {} belonged to another storage; emptying it", file);
            map.clear();
            map.put(META_IDENTITY, id);
        }
    }

    /** The tid the cache was current as of when last written, 0 for an empty cache. */
    long lastTid() {
        byte[] b = map.get(META_TID);
        return b == null ? 0 : ByteBuffer.wrap(b).getLong();
    }

    void setLastTid(long tid) {
        map.put(META_TID, ByteBuffer.allocate(8).putLong(tid).array());
    }

    CachedRecord get(long oid) {
        if (oid < 0 && (oid == META_TID || oid == META_IDENTITY)) return null;
        byte[] v = map.get(oid);
        if (v == null) return null;
        ByteBuffer b = ByteBuffer.wrap(v);
        long tid = b.getLong();
        return new CachedRecord(oid, tid, Arrays.copyOfRange(v, 8, v.length));
    }

    void put(CachedRecord r) {
        if (r.oid() == META_TID || r.oid() == META_IDENTITY) return;
        byte[] v = new byte[8 + r.data().length];
        ByteBuffer.wrap(v).putLong(r.tid());
        System.arraycopy(r.data(), 0, v, 8, r.data().length);
        try {
            map.put(r.oid(), v);
        } catch (IllegalStateException full) {
            if (!fullWarned) {
                fullWarned = true;
                log.warn("persistent cache {} is full ({} entries); records beyond are not cached (raise cache-entries)", file, map.size());
            }
        }
    }

    void invalidate(long oid, long tid) {
        byte[] v = map.get(oid);
        if (v != null && Long.compareUnsigned(ByteBuffer.wrap(v).getLong(), tid) < 0) map.remove(oid);
    }

    void clear() {
        byte[] id = map.get(META_IDENTITY);
        map.clear();
        if (id != null) map.put(META_IDENTITY, id);
    }

    long size() {
        return map.longSize();
    }

    void close() {
        map.close();
    }
}
