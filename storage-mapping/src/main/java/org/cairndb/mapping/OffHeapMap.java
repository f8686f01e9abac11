package org.cairndb.mapping;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.cairndb.storage.StorageException;
import org.cairndb.storage.spi.ChronicleJvm;

/**
 * The Chronicle Map holding every object's current revision off-heap (oid → encoded value),
 * and for a persisted storage its file, lock, commit journal and crash recovery.
 *
 * <h2>Files of {@code mem:/path/file.cairn}</h2>
 * <ul>
 * <li>{@code file.cairn}: the map (Chronicle Map's own format, memory-mapped);</li>
 * <li>{@code file.cairn.journal-a}, {@code -b}: the last transaction, written before the map
 *     changes ({@link CommitJournal});</li>
 * <li>{@code file.cairn.lock}: held while open, so a second process cannot open it too;</li>
 * <li>{@code file.cairn.open}: exists while open; found at open, it means the last user did
 *     not close cleanly, and the map is opened through Chronicle's recovery.</li>
 * </ul>
 *
 * <h2>Footprint</h2>
 * The map file is sparse ({@code sparseFile(true)}): its length is what the sizing may grow
 * to, its disk blocks what has been written (a new default file with one object: 48 KiB, where
 * Chronicle's default, {@code fallocate} of the whole file, took 414 MiB). The price: a full
 * disk is met when a page of the mapping is first written, and the process dies of SIGBUS;
 * the journal makes the next open whole again. Growing a small map by extra tiers instead
 * ({@code maxBloatFactor}) was rejected: lookups walk a segment's tier chain, so a full map
 * would load slower. {@link #sizeInBytes} reports use, not reservation ({@link DiskUsage}).
 *
 * <h2>Closing</h2>
 * Chronicle's own close-on-exit hook is turned off: at Ctrl-C it would close the map while a
 * command is still finishing its last transaction (which then fails with a misleading
 * "map too small"). Cairn closes its maps itself: the command's clean stop finishes the
 * transaction in hand, closes the storage, and only then lets the JVM exit; a process that
 * exits without closing leaves the open marker, and the next open recovers exactly.
 */
final class OffHeapMap implements AutoCloseable {
    /** Chronicle may grow past the configured entries by this factor before refusing puts. */
    private static final double BLOAT = 2.0;

    final ChronicleMap<Long, byte[]> map;
    final long capacity;
    /** Records longer than this are cut into chunks of this size (Chronicle refuses large entries). */
    final int spillThreshold;

    final CommitJournal journal; // null in memory
    private final Path file;
    private final Path openMarker;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /** Records the journal had to put back at open (non-zero only after a crash mid-commit). */
    int redoneAtOpen;
    /** The journal slot whose counters hold at open, or null: derive them from the map. */
    CommitJournal.Slot trusted;
    /** One line saying what the open found and recovered, or null when there was nothing to say. */
    String recoveryNote;

    private boolean unclean;
    private String name;
    private volatile ChronicleMap<Long, byte[]> chunks;

    private Path chunkFile() {
        return Path.of(file + ".chunks");
    }

    /**
     * The map of chunks of spilled records, created on first use (a second Chronicle Map costs
     * time and memory that most storages never need). Sized for an eighth of the entries,
     * each chunk one spill threshold long.
     */
    synchronized ChronicleMap<Long, byte[]> chunks() {
        ChronicleMap<Long, byte[]> c = chunks;
        if (c != null) return c;
        ChronicleMapBuilder<Long, byte[]> b = ChronicleMap.of(Long.class, byte[].class)
                .name((name + "-chunks").replaceAll("[^A-Za-z0-9_.-]", "_"))
                .entries(chunkCapacity())
                .averageValueSize(spillThreshold)
                .maxBloatFactor(BLOAT)
                .skipCloseOnExitHook(true); // Cairn closes its maps itself, after the work in hand (see the class note)
        try {
            if (file == null) c = b.create();
            else if (unclean && Files.exists(chunkFile()) && Files.size(chunkFile()) > 0) {
                c = ChronicleRecovery.recover(
                        b.sparseFile(true), chunkFile(), new java.util.concurrent.atomic.AtomicReference<>());
            } else c = b.sparseFile(true).createPersistedTo(chunkFile().toFile());
        } catch (IOException e) {
            throw new StorageException(
                    "storage '" + name + "': cannot open the chunk map " + chunkFile() + ": " + e, e);
        }
        chunks = c;
        return c;
    }

    long chunkCapacity() {
        return Math.max(MIN_BUILT_ENTRIES, capacity / 8);
    }

    /** A chunk by key, or null (also when no chunk map exists yet). */
    byte[] chunk(long key) {
        ChronicleMap<Long, byte[]> c = chunks;
        return c == null ? null : c.get(key);
    }

    /** The chunk map if it exists, else null. */
    ChronicleMap<Long, byte[]> chunksIfAny() {
        return chunks;
    }

    private OffHeapMap(
            ChronicleMap<Long, byte[]> map,
            long capacity,
            int spillThreshold,
            CommitJournal journal,
            Path file,
            Path openMarker,
            FileChannel lockChannel,
            FileLock lock) {
        this.map = map;
        this.capacity = capacity;
        this.spillThreshold = spillThreshold;
        this.journal = journal;
        this.file = file;
        this.openMarker = openMarker;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** The map's configuration (files made before Cairn made them sparse were created from this alone). */
    static ChronicleMapBuilder<Long, byte[]> builder(String name, long entries, double avgValueSize) {
        return ChronicleMap.of(Long.class, byte[].class)
                .name(name.replaceAll("[^A-Za-z0-9_.-]", "_"))
                .entries(Math.max(MIN_BUILT_ENTRIES, entries))
                .averageValueSize(avgValueSize)
                .maxBloatFactor(BLOAT)
                .skipCloseOnExitHook(true); // Cairn closes its maps itself, after the work in hand (see the class note)
    }

    /**
     * Four average records, at least 2 KiB: well within what one segment of a map built for at
     * least {@link #MIN_BUILT_ENTRIES} entries accepts as one entry (about 17 KiB for 128-byte values).
     */
    private static int spillThreshold(double avgValueSize) {
        return (int) Math.max(2048, Math.min(1 << 20, 4 * avgValueSize));
    }

    /** Chronicle is never built smaller than this, whatever the capacity we enforce. */
    private static final long MIN_BUILT_ENTRIES = 256;

    static OffHeapMap inMemory(String name, long entries, double avgValueSize) {
        ChronicleJvm.prepare(name); // before any Chronicle class initializes
        OffHeapMap m = new OffHeapMap(
                builder(name, entries, avgValueSize).create(),
                entries,
                spillThreshold(avgValueSize),
                null,
                null,
                null,
                null,
                null);
        m.name = name;
        return m;
    }

    /**
     * Opens (or, when {@code mayCreate}, creates) the map at {@code file}. Never recreates an
     * existing file: an empty one, or a missing map whose journal exists, is refused. The
     * journal is checked against the map ({@link JournalCheck}) before anything is redone.
     */
    static OffHeapMap persisted(String name, Path file, long entries, double avgValueSize, boolean mayCreate) {
        ChronicleJvm.prepare(name); // before any Chronicle class initializes
        Path abs = file.toAbsolutePath();
        Path lockPath = Path.of(abs + ".lock");
        Path marker = Path.of(abs + ".open");
        FileChannel lockChannel = null;
        ChronicleMap<Long, byte[]> map = null;
        CommitJournal journal = null;
        OffHeapMap m = null;
        Path createdMarker = null;
        try {
            if (!Files.exists(abs)) {
                if (!mayCreate) {
                    throw new StorageException(
                            "storage '" + name + "': " + abs + " does not exist (nothing was created); check the path");
                }
                for (String j : new String[] {".journal-a", ".journal-b"}) {
                    Path jp = Path.of(abs + j);
                    if (Files.exists(jp) && Files.size(jp) > 0) {
                        throw new StorageException(
                                "storage '" + name + "': the map " + abs + " is missing but its commit journal " + jp
                                        + " exists: the map was lost or moved, and a new empty one was not created. Restore "
                                        + abs
                                        + " from a backup; or, to start a new empty storage there, remove the .journal-a/.journal-b files");
                    }
                }
            }
            if (abs.getParent() != null && mayCreate) Files.createDirectories(abs.getParent());
            lockChannel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                lock = null;
            }
            if (lock == null) {
                throw new StorageException(
                        "storage '" + name + "': " + abs + " is already open (lock " + lockPath
                                + " is held by this or another process); close the other storage first, or serve it with cairn serve");
            }
            boolean exists = Files.exists(abs);
            if (exists && Files.size(abs) == 0) {
                throw new StorageException("storage '" + name + "': " + abs
                        + " exists but is empty (0 bytes): it was truncated or is not a"
                        + " Cairn storage, and it was left as it is. Restore it and its .journal-a/.journal-b files from a backup; or,"
                        + " to start a new storage there, remove it and them");
            }
            boolean unclean = exists && Files.exists(marker);
            if (!Files.exists(marker)) {
                Files.createFile(marker);
                createdMarker = marker;
            }
            // Sparse: the file takes disk as entries are written, not what the sizing reserves (an
            // existing file, sparse or not, opens as it is).
            ChronicleMapBuilder<Long, byte[]> b =
                    builder(name, entries, avgValueSize).sparseFile(true);
            java.util.concurrent.atomic.AtomicReference<ChronicleRecovery.Report> chronicle =
                    new java.util.concurrent.atomic.AtomicReference<>();
            map = unclean ? ChronicleRecovery.recover(b, abs, chronicle) : b.createPersistedTo(abs.toFile());
            journal = CommitJournal.open(abs);
            m = new OffHeapMap(map, entries, spillThreshold(avgValueSize), journal, abs, marker, lockChannel, lock);
            m.unclean = unclean;
            m.name = name;
            if (Files.exists(m.chunkFile())) m.chunks();
            OffHeapMap self = m;
            JournalCheck.Outcome o = JournalCheck.run(name, abs, map, self::chunks, journal);
            m.redoneAtOpen = o.redone();
            m.trusted = o.trusted();
            String note = o.note();
            if (unclean) {
                ChronicleRecovery.Report r = chronicle.get();
                note = "was not closed by the process that last used it (killed?); recovered: "
                        + (note == null ? "nothing to redo, every committed transaction is in the map" : note)
                        + (r == null ? "" : r.describe());
            }
            m.recoveryNote = note == null ? null : "storage '" + name + "': " + note;
            return m;
        } catch (IOException e) {
            closeAfterFailure(m, map, journal, createdMarker, lockChannel);
            throw new StorageException("storage '" + name + "': cannot open " + abs + ": " + e, e);
        } catch (RuntimeException e) {
            closeAfterFailure(m, map, journal, createdMarker, lockChannel);
            throw e;
        }
    }

    /** Lets go of what a failed open took; a refused open leaves the files as they were. */
    private static void closeAfterFailure(
            OffHeapMap m,
            ChronicleMap<Long, byte[]> map,
            CommitJournal journal,
            Path createdMarker,
            FileChannel lockChannel) {
        if (m != null) {
            ChronicleMap<Long, byte[]> c = m.chunks;
            if (c != null) c.close();
        }
        if (map != null) map.close();
        if (journal != null) journal.close();
        if (createdMarker != null) {
            try {
                Files.deleteIfExists(createdMarker);
            } catch (IOException ignored) {
                // the next open runs Chronicle's recovery: slower, not wrong
            }
        }
        closeQuietly(lockChannel);
    }

    /** Appends the transaction ahead without forcing it (persisted storages only; no-op in memory); see {@link GroupSync}. */
    void append(long tid, long nextOid, long liveObjects, long nextChunkKey, List<CommitJournal.Entry> entries) {
        if (journal != null) journal.append(tid, nextOid, liveObjects, nextChunkKey, entries);
    }

    /** Writes the transaction ahead and forces it (persisted storages only; no-op in memory). */
    void journal(long tid, long nextOid, long liveObjects, long nextChunkKey, List<CommitJournal.Entry> entries) {
        if (journal != null) journal.write(tid, nextOid, liveObjects, nextChunkKey, entries);
    }

    boolean persisted() {
        return journal != null;
    }

    /**
     * What the storage really takes: for a file, the disk blocks of the map, its chunk map and
     * journal ({@link DiskUsage}); in memory, the map's fixed structures plus the space its
     * entries fill, not the space reserved for entries not yet written (untouched pages that
     * the operating system never backs).
     */
    long sizeInBytes() {
        ChronicleMap<Long, byte[]> c = chunks;
        if (file == null) return memoryUsed(map) + (c == null ? 0 : memoryUsed(c));
        try {
            long total = DiskUsage.allocated(file) + DiskUsage.allocated(chunkFile());
            for (Path p : journal.paths()) total += DiskUsage.allocated(p);
            return total;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Bytes the map reserves (its off-heap size, or a sparse file's length): what it may grow to. */
    long reservedBytes() {
        ChronicleMap<Long, byte[]> c = chunks;
        return map.offHeapMemoryUsed() + (c == null ? 0 : c.offHeapMemoryUsed());
    }

    private static long memoryUsed(ChronicleMap<Long, byte[]> m) {
        long segments = 0;
        long used = 0;
        for (ChronicleMap.SegmentStats s : m.segmentStats()) {
            segments += s.sizeInBytes();
            used += s.usedBytes();
        }
        return Math.max(0, m.offHeapMemoryUsed() - segments) + used;
    }

    @Override
    public void close() {
        map.close();
        ChronicleMap<Long, byte[]> c = chunks;
        if (c != null) c.close();
        if (journal != null) journal.close();
        if (openMarker != null) {
            try {
                Files.deleteIfExists(openMarker);
            } catch (IOException ignored) {
                // next open will run recovery: slower, not wrong
            }
        }
        if (lock != null) {
            try {
                lock.release();
            } catch (IOException ignored) {
                // closing the channel releases it too
            }
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to save
        }
    }
}
