package org.cairndb.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.cairndb.postgres.testing.TestPostgres;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.cairndb.storage.Storage;
import org.cairndb.storage.conformance.StorageFixture;
import org.cairndb.storage.matrix.StorageKind;
import org.cairndb.storage.matrix.StorageKindFixtures;
import org.cairndb.storage.uri.Storages;

/**
 * The storages the queue's tests run on ({@code @OnStorages}): temp: and mem: by URI,
 * postgres:// history-free a fresh database per storage, cairn:// a server over temp: per storage.
 */
public final class TasksMatrixFixtures implements StorageKindFixtures {
    @Override
    public Set<StorageKind> kinds() {
        return Set.of(StorageKind.TEMP, StorageKind.MEM, StorageKind.POSTGRES_HISTORY_FREE, StorageKind.CAIRN_TEMP);
    }

    @Override
    public StorageFixture fixture(StorageKind kind, Class<?> owner) {
        return switch (kind) {
            case TEMP -> StorageFixture.of("temp:", () -> Storages.open("temp:"));
            case MEM -> StorageFixture.of("mem:", () -> Storages.open("mem:"));
            case POSTGRES_HISTORY_FREE ->
                StorageFixture.of(
                        kind.toString(), () -> Storages.open(TestPostgres.get().freshUri(owner, "history=free")));
            case CAIRN_TEMP -> new Served();
            default -> throw new IllegalArgumentException("not offered here: " + kind);
        };
    }

    /** cairn://: each storage a client of its own server over temp:, the servers stopped at close. */
    private static final class Served implements StorageFixture {
        private final List<CairnServer> servers = new ArrayList<>();

        @Override
        public synchronized Storage open() {
            CairnServer server = CairnServer.start(new ServerConfig().port(0).storage("main", "temp:"));
            servers.add(server);
            return Storages.open("cairn://127.0.0.1:" + server.port() + "/main");
        }

        @Override
        public synchronized void close() {
            for (CairnServer s : servers) s.close();
            servers.clear();
        }

        @Override
        public String toString() {
            return StorageKind.CAIRN_TEMP.toString();
        }
    }
}
