package org.cairndb.remote;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import net.openhft.chronicle.bytes.RandomDataInput;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.map.ChronicleMap;
import org.cairndb.storage.StorageException;
import org.cairndb.storage.spi.ChronicleJvm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache level that survives restarts: a Chronicle Map file, oid → (tid, access stamp,
 * data), plus meta entries: the tid the cache is current as of, which server storage it
 * belongs to (a file pointed at another storage, or written in another layout, is emptied,
 * not trusted), and the access clock.
 *
 * <h2>Crash safety</h2>
 * The remembered tid is written after the drops of the invalidations up to it, so a process
 * killed between the two restarts with an older tid and asks the server for (and drops)
 * those invalidations again: a crash can only make the cache drop more, never keep a stale
 * record. Eviction only removes entries, so it cannot make a record stale either.
 *
 * <h2>Eviction: batched LRU by access stamps</h2>
 * The cache holds at most {@code capacity} records ({@code cache-entries}); the file is
 * created with a quarter more room, so Chronicle Map (whose capacity is fixed at creation
 * and whose segments fill unevenly) is not the one to say "full". Every record carries a
 * stamp from a logical clock, set when it is written and refreshed when it is read while in
 * the older half of the clock's window (so a hot record costs a write only now and then, not
 * on every read). A put that takes the count over the budget starts a sweep: one pass reads
 * every stamp (in place, without copying the records), picks the cut-off that leaves 7/8 of
 * the budget, and removes the records stamped before it. A sweep is O(n) and frees n/8, so a
 * put costs O(1) amortized; the least recently used records go first, as in an LRU list, but
 * with no list to keep in the mapped file. The clock is stored with the meta entries, so
 * recency survives restarts (after a crash the clock may restart a little behind; that makes
 * a few old records look newer, nothing worse).
 *
 * <h2>Alternatives rejected</h2>
 * <ul>
 * <li>Refusing new records when full (what this class did first): a working set larger than
 *     the file never gets cached after the first fill, and whatever filled it first stays
 *     forever.</li>
 * <li>Two files in generations (write to the young one, promote on a hit, drop the old one
 *     when the young is full): no per-record bookkeeping, but every rotation throws away half
 *     the cache at once (a restart after a rotation finds it half empty), and hits in the old
 *     generation cost a copy.</li>
 * <li>A CLOCK hand walking the map: Chronicle Map cannot resume an iteration at a position,
 *     so each step of the hand would be a scan from the start.</li>
 * <li>Random eviction: no bookkeeping at all, but a hot record is as likely to go as a cold
 *     one; a restart then loses what the application needs first.</li>
 * </ul>
 *
 * <h2>Concurrency</h2>
 * None here: {@link RecordCache} calls every method under its own lock.
 */
final class PersistentCache {
    private static final Logger log = LoggerFactory.getLogger(PersistentCache.class);
    private static final long META_TID = -1;
    private static final long META_IDENTITY = -2;
    private static final long META_CLOCK = -3;
    private static final int META_ENTRIES = 3;
    /** Bumped when the value layout changes: a file in an older layout is emptied. */
    private static final String LAYOUT = "#layout=2 tid,stamp,data";

    private static final int HEADER = 16;

    private final ChronicleMap<Long, byte[]> map;
    private final Path file;
    private final long capacity;
    private long clock;
    private long evicted;
    private boolean tooLargeWarned;

    PersistentCache(Path file, long entries, int averageRecordBytes, String identity) {
        ChronicleJvm.prepare("the persistent cache " + file); // before any Chronicle class initializes
        this.file = file;
        this.capacity = Math.max(1, entries);
        try {
            File f = file.toFile();
            if (f.getParentFile() != null) f.getParentFile().mkdirs();
            var builder = ChronicleMap.of(Long.class, byte[].class)
                    .name("cairn-client-cache")
                    .entries(capacity + capacity / 4 + 16)
                    .averageValueSize(Math.max(16, averageRecordBytes + HEADER));
            // recover, not just open: after a kill -9 the file may hold a half-done update
            map = f.exists() && f.length() > 0 ? builder.recoverPersistedTo(f, true) : builder.createPersistedTo(f);
        } catch (IOException | RuntimeException e) {
            throw new StorageException(
                    "cannot open the persistent cache file " + file + ": " + e.getMessage()
                            + " (delete it to start with an empty cache, or choose another ?cache= path)",
                    e);
        }
        byte[] id = (identity + LAYOUT).getBytes(StandardCharsets.UTF_8);
        byte[] stored = map.get(META_IDENTITY);
        if (stored == null || !Arrays.equals(stored, id)) {
            if (stored != null)
                log.info("persistent cache {} belonged to another storage or layout; emptying it", file);
            map.clear();
            map.put(META_IDENTITY, id);
        }
        byte[] c = map.get(META_CLOCK);
        clock = c == null ? 0 : ByteBuffer.wrap(c).getLong();
        // every meta entry always exists, so the record count is the map's size minus them
        if (c == null) saveClock();
        if (!map.containsKey(META_TID)) setLastTid(0);
        if (records() > capacity) evict(); // opened with a smaller cache-entries than it was filled with
    }

    /** The tid the cache was current as of when last written, 0 for an empty cache. */
    long lastTid() {
        byte[] b = map.get(META_TID);
        return b == null ? 0 : ByteBuffer.wrap(b).getLong();
    }

    void setLastTid(long tid) {
        map.put(META_TID, ByteBuffer.allocate(8).putLong(tid).array());
    }

    private static boolean isMeta(long oid) {
        return oid < 0 && oid >= META_CLOCK;
    }

    CachedRecord get(long oid) {
        if (isMeta(oid)) return null;
        byte[] v = map.get(oid);
        if (v == null) return null;
        ByteBuffer b = ByteBuffer.wrap(v);
        long tid = b.getLong();
        long stamp = b.getLong();
        byte[] data = Arrays.copyOfRange(v, HEADER, v.length);
        if (clock - stamp > capacity / 2) {
            // in the older half: mark it used, so a sweep keeps it
            ByteBuffer.wrap(v).putLong(8, ++clock);
            map.put(oid, v);
        }
        return new CachedRecord(oid, tid, data);
    }

    void put(CachedRecord r) {
        if (isMeta(r.oid())) return;
        byte[] v = new byte[HEADER + r.data().length];
        ByteBuffer.wrap(v).putLong(r.tid()).putLong(++clock);
        System.arraycopy(r.data(), 0, v, HEADER, r.data().length);
        try {
            map.put(r.oid(), v);
        } catch (IllegalStateException full) {
            // the file is physically full before the budget (a file made with a smaller
            // cache-entries, or very uneven segments): make room, then try once more
            evict();
            try {
                map.put(r.oid(), v);
            } catch (IllegalStateException | IllegalArgumentException again) {
                tooLarge(r, again);
                return;
            }
        } catch (IllegalArgumentException tooBig) {
            tooLarge(r, tooBig);
            return;
        }
        if (records() > capacity) evict();
    }

    private void tooLarge(CachedRecord r, RuntimeException e) {
        if (!tooLargeWarned) {
            tooLargeWarned = true;
            log.warn(
                    "persistent cache {}: a record of {} bytes (oid {}) does not fit ({}); such records are not cached"
                            + " (raise cache-record-bytes)",
                    file,
                    r.data().length,
                    r.oid(),
                    e.getMessage());
        }
    }

    /** Removes the least recently used records until 7/8 of the budget is left (see the class essay). */
    private void evict() {
        long target = capacity - Math.max(1, capacity / 8);
        int n = (int) Math.min(Integer.MAX_VALUE - 8, map.longSize());
        long[] stamps = new long[n];
        int[] count = {0};
        map.forEachEntry(e -> {
            long oid = e.key().get();
            if (!isMeta(oid) && count[0] < stamps.length) stamps[count[0]++] = stampOf(e.value());
        });
        int records = count[0];
        long remove = records - target;
        if (remove <= 0) return;
        long[] sorted = Arrays.copyOf(stamps, records);
        Arrays.sort(sorted);
        long cutoff = sorted[(int) remove - 1]; // remove stamps <= cutoff, at most `remove` of them
        long[] removed = {0};
        map.forEachEntryWhile(e -> {
            long oid = e.key().get();
            if (!isMeta(oid) && stampOf(e.value()) <= cutoff) {
                e.doRemove();
                removed[0]++;
            }
            return removed[0] < remove;
        });
        evicted += removed[0];
        saveClock();
    }

    private void saveClock() {
        map.put(META_CLOCK, ByteBuffer.allocate(8).putLong(clock).array());
    }

    /** The stamp of a stored value, read in place (bytes 8..15, big-endian as written). */
    private static long stampOf(Data<byte[]> value) {
        RandomDataInput in = value.bytes();
        long off = value.offset() + 8;
        long s = 0;
        for (int i = 0; i < 8; i++) s = (s << 8) | (in.readByte(off + i) & 0xff);
        return s;
    }

    void invalidate(long oid, long tid) {
        byte[] v = map.get(oid);
        if (v != null && Long.compareUnsigned(ByteBuffer.wrap(v).getLong(), tid) < 0) map.remove(oid);
    }

    /** Drops every record; the meta entries stay (the caller sets the new last tid next). */
    void clear() {
        byte[] id = map.get(META_IDENTITY);
        byte[] tid = map.get(META_TID);
        map.clear();
        map.put(META_IDENTITY, id);
        map.put(META_TID, tid);
        saveClock();
    }

    /** Cached records (meta entries not counted). */
    long size() {
        return records();
    }

    private long records() {
        return map.longSize() - META_ENTRIES;
    }

    /** Records removed by eviction since open. */
    long evicted() {
        return evicted;
    }

    long capacity() {
        return capacity;
    }

    void close() {
        saveClock();
        map.close();
    }
}
