package org.cairndb.mapping;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The disk space a file really takes: the sum of its data extents, holes left out (what
 * {@code du} shows, to the block). A {@code mem:} map file is sparse (see {@link OffHeapMap}):
 * its length is what it may grow to, its data what it holds, so {@code Files.size} says
 * nothing about the disk it uses.
 *
 * <p>Java has no call for allocated blocks ({@code unix:} attributes lack {@code st_blocks}),
 * so this asks the kernel with {@code lseek(SEEK_DATA/SEEK_HOLE)} through JNA, which Chronicle
 * Map already brings. On a file system without hole support the kernel reports the whole file
 * as data, which is then true. Elsewhere than Linux it answers the file's length.
 */
final class DiskUsage {
    private static final int O_RDONLY = 0;
    private static final int SEEK_DATA = 3; // Linux values
    private static final int SEEK_HOLE = 4;

    private DiskUsage() {}

    /** The C library calls used; loaded on first use. */
    private interface LibC extends Library {
        int open(String path, int flags);

        long lseek(int fd, long offset, int whence);

        int close(int fd);
    }

    private static final class Holder {
        static final LibC LIBC = Platform.isLinux() ? Native.load("c", LibC.class) : null;
    }

    /** Bytes of {@code file} backed by disk blocks; 0 for a missing file. */
    static long allocated(Path file) throws IOException {
        if (!Files.exists(file)) return 0;
        long size = Files.size(file);
        LibC c;
        try {
            c = Holder.LIBC;
        } catch (LinkageError e) {
            c = null;
        }
        if (c == null || size == 0) return size;
        int fd = c.open(file.toString(), O_RDONLY);
        if (fd < 0) return size;
        try {
            long total = 0;
            long at = 0;
            while (at < size) {
                long data = c.lseek(fd, at, SEEK_DATA);
                if (data < 0) break; // ENXIO: no data after 'at'
                long hole = c.lseek(fd, data, SEEK_HOLE);
                if (hole < 0) hole = size;
                total += hole - data;
                at = hole;
            }
            return total;
        } finally {
            c.close(fd);
        }
    }
}
