package org.cairndb.mapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.cairndb.storage.Storage;
import org.cairndb.storage.conformance.StorageFixture;
import org.cairndb.storage.matrix.StorageKind;
import org.cairndb.storage.matrix.StorageKindFixtures;
import org.cairndb.storage.uri.Storages;

/**
 * mem: and mem:/file for {@code @OnStorages} in this module's tests: mem: opened through its
 * URI with small maps (fast to create); mem:/file a new file per storage, persistent (reopen
 * closes and opens the same file).
 */
public final class MappingMatrixFixtures implements StorageKindFixtures {
    @Override
    public Set<StorageKind> kinds() {
        return Set.of(StorageKind.MEM, StorageKind.MEM_FILE);
    }

    @Override
    public StorageFixture fixture(StorageKind kind, Class<?> owner) {
        return switch (kind) {
            case MEM -> StorageFixture.of("mem:", () -> Storages.open("mem:?entries=20000&avgValueSize=128"));
            case MEM_FILE -> new FileFixture();
            default -> throw new IllegalArgumentException("not offered here: " + kind);
        };
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
