package org.cairndb.testkit.matrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.cairndb.postgres.testing.TestPostgres;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.cairndb.storage.Storage;
import org.cairndb.storage.conformance.StorageFixture;
import org.cairndb.storage.uri.Storages;

/**
 * The storages a test can ask for with {@link OnStorages}: each names itself as the test
 * report shows it and makes a {@link StorageFixture} of fresh, empty storages of its kind.
 * The {@code CAIRN_*} kinds are {@code cairn://} clients over a real socket, each storage
 * its own in-process server over a fresh backing storage.
 */
public enum StorageKind {
    MEM("mem:"),
    MEM_FILE("mem:/file"),
    TEMP("temp:"),
    POSTGRES("postgres://"),
    POSTGRES_HISTORY_FREE("postgres:// history-free"),
    CAIRN_TEMP("cairn:// over temp:"),
    CAIRN_MEM("cairn:// over mem:"),
    CAIRN_POSTGRES("cairn:// over postgres://");

    private final String label;

    StorageKind(String label) {
        this.label = label;
    }

    /** How the test report names this storage. */
    @Override
    public String toString() {
        return label;
    }

    /** A fixture of fresh, empty storages of this kind; {@code owner} names postgres databases. */
    public StorageFixture fixture(Class<?> owner) {
        return switch (this) {
            case MEM -> StorageFixture.of(label, () -> Storages.open("mem:"));
            case MEM_FILE -> new FileFixture();
            case TEMP -> StorageFixture.of(label, () -> Storages.open("temp:"));
            case POSTGRES -> StorageFixture.of(label, () -> Storages.open(postgres(owner, "history=preserving")));
            case POSTGRES_HISTORY_FREE -> StorageFixture.of(label, () -> Storages.open(postgres(owner, "")));
            case CAIRN_TEMP -> new ServedFixture(label, () -> "temp:");
            case CAIRN_MEM -> new ServedFixture(label, () -> "mem:");
            case CAIRN_POSTGRES -> new ServedFixture(label, () -> postgres(owner, "history=preserving"));
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
            CairnServer server = CairnServer.start(new ServerConfig().host("127.0.0.1").port(0).storage("main", backing.get()));
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
