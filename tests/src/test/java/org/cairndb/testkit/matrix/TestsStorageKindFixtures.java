package org.cairndb.testkit.matrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.cairndb.postgres.testing.TestPostgres;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.cairndb.storage.Storage;
import org.cairndb.storage.conformance.StorageFixture;
import org.cairndb.storage.matrix.StorageKind;
import org.cairndb.storage.matrix.StorageKindFixtures;
import org.cairndb.storage.uri.Storages;

/**
 * The tests module's storages for {@code @OnStorages}: it depends on every storage, so it
 * offers them all (registered in this module's META-INF/services). The {@code CAIRN_*} kinds
 * are each storage its own in-process server over a fresh backing storage.
 */
public final class TestsStorageKindFixtures implements StorageKindFixtures {
    private static final Set<StorageKind> KINDS = EnumSet.of(
            StorageKind.MEM,
            StorageKind.MEM_FILE,
            StorageKind.TEMP,
            StorageKind.POSTGRES,
            StorageKind.POSTGRES_HISTORY_FREE,
            StorageKind.CAIRN_TEMP,
            StorageKind.CAIRN_MEM,
            StorageKind.CAIRN_POSTGRES);

    @Override
    public Set<StorageKind> kinds() {
        return KINDS;
    }

    @Override
    public StorageFixture fixture(StorageKind kind, Class<?> owner) {
        return switch (kind) {
            case MEM -> StorageFixture.of(kind.toString(), () -> Storages.open("mem:"));
            case MEM_FILE -> new FileFixture();
            case TEMP -> StorageFixture.of(kind.toString(), () -> Storages.open("temp:"));
            case POSTGRES ->
                StorageFixture.of(kind.toString(), () -> Storages.open(postgres(owner, "history=preserving")));
            case POSTGRES_HISTORY_FREE -> StorageFixture.of(kind.toString(), () -> Storages.open(postgres(owner, "")));
            case CAIRN_TEMP -> new ServedFixture(kind.toString(), () -> "temp:");
            case CAIRN_MEM -> new ServedFixture(kind.toString(), () -> "mem:");
            case CAIRN_POSTGRES -> new ServedFixture(kind.toString(), () -> postgres(owner, "history=preserving"));
            default -> throw new IllegalArgumentException("not offered here: " + kind);
        };
    }

    private static String postgres(Class<?> owner, String query) {
        return TestPostgres.get().freshUri(owner, query);
    }

    /** mem:/file: each storage a new file in one temporary directory, deleted at close. */
    private static final class FileFixture implements StorageFixture {
        private final Path dir;
        private int count;

        FileFixture() {
            try {
                dir = Files.createTempDirectory("cairn-matrix");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Storage open() {
            return Storages.open("mem:" + dir.resolve("s" + (++count) + ".cairn") + "?entries=20000&avgValueSize=128");
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

    /** cairn://: each storage a client of its own server (loopback, free port) over a fresh backing storage. */
    private static final class ServedFixture implements StorageFixture {
        private final String label;
        private final Supplier<String> backing;
        private final List<CairnServer> servers = new ArrayList<>();

        ServedFixture(String label, Supplier<String> backing) {
            this.label = label;
            this.backing = backing;
        }

        @Override
        public Storage open() {
            CairnServer server = CairnServer.start(
                    new ServerConfig().host("127.0.0.1").port(0).storage("main", backing.get()));
            synchronized (servers) {
                servers.add(server);
            }
            return Storages.open("cairn://127.0.0.1:" + server.port() + "/main");
        }

        @Override
        public void close() {
            synchronized (servers) {
                for (CairnServer s : servers) s.close();
                servers.clear();
            }
        }

        @Override
        public String toString() {
            return label;
        }
    }
}
