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

/**
 * The whole conformance kit against persisted {@code mem:/path/file.cairn}: a fresh file per
 * storage in a directory removed after each test, and reopen on the same file.
 */
class MemFileStorageConformanceTest implements StorageConformance {
    @Override
    public StorageFixture fixture() {
        return new FileFixture();
    }

    static final class FileFixture implements StorageFixture {
        private final Path dir;
        private final Map<Storage, Path> files = new IdentityHashMap<>();
        private int n;

        FileFixture() {
            try {
                dir = Files.createTempDirectory("cairn-kit-mem");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private Storage openAt(Path file) {
            Storage s = Storages.open("mem:" + file + "?entries=20000");
            files.put(s, file);
            return s;
        }

        @Override
        public synchronized Storage open() {
            return openAt(dir.resolve("kit-" + (++n) + ".cairn"));
        }

        @Override
        public boolean persistent() {
            return true;
        }

        @Override
        public synchronized Storage reopen(Storage storage) {
            Path file = files.get(storage);
            if (file == null) throw new IllegalArgumentException("storage " + storage.name() + " was not opened by this fixture");
            storage.close();
            return openAt(file);
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
            return "mem:/" + dir + "/...";
        }
    }
}
