package org.cairndb.mapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.cairndb.storage.Storage;
import org.cairndb.storage.conformance.StorageConformance;
import org.cairndb.storage.conformance.StorageFixture;
import org.cairndb.storage.uri.Storages;

/** The whole conformance kit against {@code mem:/file}, including the reopen tests. */
class PersistedMappingStorageConformanceTest implements StorageConformance {

    @Override
    public StorageFixture fixture() {
        return new FileFixture();
    }

    /** Each open is a new file in a fresh directory; reopen closes and opens the same file. */
    static final class FileFixture implements StorageFixture {
        private final Path dir;
        private final Map<Storage, Path> files = new IdentityHashMap<>();
        private int count;

        FileFixture() {
            try {
                dir = Files.createTempDirectory("cairn-mem-kit");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Storage open() {
            return open(dir.resolve("s" + (++count) + ".cairn"));
        }

        private Storage open(Path file) {
            Storage s = Storages.open("mem:" + file + "?entries=20000&avgValueSize=128");
            files.put(s, file);
            return s;
        }

        @Override
        public boolean persistent() {
            return true;
        }

        @Override
        public Storage reopen(Storage storage) {
            Path file = files.remove(storage);
            if (file == null) throw new IllegalArgumentException("storage " + storage + " was not opened by " + this);
            storage.close();
            return open(file);
        }

        @Override
        public void close() {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return "mem:" + dir + "/sN.cairn";
        }
    }
}
