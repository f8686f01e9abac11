package org.cairndb.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import net.openhft.chronicle.map.ChronicleMap;
import org.cairndb.storage.Storage;
import org.cairndb.storage.Tid;
import org.cairndb.storage.conformance.Kit;
import org.cairndb.storage.conformance.Records;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a {@code mem:} storage really takes (issue: a default {@code mem:/path} with one object
 * took about 400 MiB of real disk, an empty in-memory {@code mem:} reported 409 MiB). The disk
 * use is measured independently, with {@code du}, in a real process.
 */
class MappingFootprintTest {
    /** The bound for a default-sized file with one object: the map's headers and hash lookups, a few pages of data. */
    private static final long BOUND = 4L << 20;

    @TempDir
    Path dir;

    @Test
    void defaultPersistedFile_withOneObject_takesLittleDisk_andSizeInBytesSaysSo() throws Exception {
        Path file = dir.resolve("one.cairn");
        long reported;
        try (Storage s = Storages.open("mem:" + file)) {
            Kit.commit(s, 0, Tid.ZERO, Records.object("root"));
            reported = s.sizeInBytes();
        }
        long du = du(dir);
        assertThat(du).as("allocated disk of %s and its side files (du)", dir).isLessThan(BOUND);
        assertThat(reported)
                .as("sizeInBytes reports the allocated disk, as du does")
                .isPositive()
                .isLessThan(BOUND);
        assertThat(Math.abs(reported - du))
                .as("reported %d, du %d", reported, du)
                .isLessThan(256 * 1024);
        try (Storage s = Storages.open("mem:" + file)) {
            assertThat(Records.text(s.load(0).data())).isEqualTo("root");
        }
        assertThat(du(dir)).as("reopening keeps the file sparse").isLessThan(BOUND);
    }

    @Test
    void defaultInMemoryStorage_reportsTheMemoryItsRecordsTake_notTheReservation() {
        try (Storage s = Storages.open("mem:")) {
            long empty = s.sizeInBytes();
            assertThat(empty).isPositive().isLessThan(32L << 20);
            long oid = s.newOids(1)[0];
            Kit.commit(s, oid, Tid.ZERO, Records.object("x".repeat(1000)));
            assertThat(s.sizeInBytes()).isGreaterThan(empty);
        }
    }

    @Test
    void fileCreatedWithoutSparseAllocation_opensAndTakesCommits() throws Exception {
        Path file = dir.resolve("old.cairn");
        // As every file was made before: the same configuration, preallocated (not sparse).
        try (ChronicleMap<Long, byte[]> old =
                OffHeapMap.builder("old", 1000, 320).createPersistedTo(file.toFile())) {
            assertThat(old.size()).isZero();
        }
        long length = Files.size(file);
        try (Storage s = Storages.open("mem:" + file)) {
            Kit.commit(s, 0, Tid.ZERO, Records.object("root"));
        }
        try (Storage s = Storages.open("mem:" + file)) {
            assertThat(Records.text(s.load(0).data())).isEqualTo("root");
            assertThat(s.sizeInBytes()).isGreaterThanOrEqualTo(length);
        }
    }

    /** Allocated bytes of the files in {@code d}, by {@code du} (1 KiB blocks). */
    private static long du(Path d) throws IOException, InterruptedException {
        String[] files;
        try (Stream<Path> l = Files.list(d)) {
            files = l.map(Path::toString).toArray(String[]::new);
        }
        String[] cmd =
                Stream.concat(Stream.of("du", "-k", "-c"), Stream.of(files)).toArray(String[]::new);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        String[] lines = out.strip().split("\n");
        return Long.parseLong(lines[lines.length - 1].split("\\s+")[0]) * 1024;
    }
}
