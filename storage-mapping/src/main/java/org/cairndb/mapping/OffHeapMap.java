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
 */
final class OffHeapMap implements AutoCloseable {
    /** Chronicle may grow past the configured entries by this factor before refusing puts. */
    private static final double BLOAT = 2.0;

    final ChronicleMap<Long, byte[]> map;
    final long capacity;
    final CommitJournal journal; // null in memory
    private final Path file;
    private final Path openMarker;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private OffHeapMap(ChronicleMap<Long, byte[]> map, long capacity, CommitJournal journal, Path file, Path openMarker,
            FileChannel lockChannel, FileLock lock) {
        this.map = map;
        this.capacity = capacity;
        this.journal = journal;
        this.file = file;
        this.openMarker = openMarker;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    private static ChronicleMapBuilder<Long, byte[]> builder(String name, long entries, double avgValueSize) {
        return ChronicleMap.of(Long.class, byte[].class)
                .name(name.replaceAll("[^A-Za-z0-9_.-]", "_"))
                .entries(entries)
                .averageValueSize(avgValueSize)
                .maxBloatFactor(BLOAT);
    }

    static OffHeapMap inMemory(String name, long entries, double avgValueSize) {
        return new OffHeapMap(builder(name, entries, avgValueSize).create(), entries, null, null, null, null, null);
    }

    static OffHeapMap persisted(String name, Path file, long entries, double avgValueSize) {
        Path abs = file.toAbsolutePath();
        Path lockPath = Path.of(abs + ".lock");
        Path marker = Path.of(abs + ".open");
        FileChannel lockChannel = null;
        try {
            if (abs.getParent() != null) Files.createDirectories(abs.getParent());
            lockChannel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                lock = null;
            }
            if (lock == null) {
                throw new StorageException("storage '" + name + "': " + abs + " is already open (lock " + lockPath
                        + " is held by this or another process); close the other storage first, or serve it with cairn serve");
            }
            boolean exists = Files.exists(abs) && Files.size(abs) > 0;
            boolean unclean = exists && Files.exists(marker);
            if (!Files.exists(marker)) Files.createFile(marker);
            ChronicleMapBuilder<Long, byte[]> b = builder(name, entries, avgValueSize);
            ChronicleMap<Long, byte[]> map = unclean ? b.recoverPersistedTo(abs.toFile(), false) : b.createPersistedTo(abs.toFile());
            CommitJournal journal = CommitJournal.open(abs);
            CommitJournal.Slot last = journal.recovered();
            if (last != null) {
                // Redo the last transaction: completes it if the crash came mid-way, changes nothing otherwise.
                for (CommitJournal.Entry e : last.entries()) map.put(e.oid(), e.value());
            }
            return new OffHeapMap(map, entries, journal, abs, marker, lockChannel, lock);
        } catch (IOException e) {
            closeQuietly(lockChannel);
            throw new StorageException("storage '" + name + "': cannot open " + abs + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(lockChannel);
            throw e;
        }
    }

    /** Writes the transaction ahead (persisted storages only; no-op in memory). */
    void journal(long tid, long nextOid, long liveObjects, List<CommitJournal.Entry> entries) {
        if (journal != null) journal.write(tid, nextOid, liveObjects, entries);
    }

    boolean persisted() {
        return journal != null;
    }

    long sizeInBytes() {
        if (file == null) return map.offHeapMemoryUsed();
        try {
            return Files.size(file) + journal.sizeInBytes();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        map.close();
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
