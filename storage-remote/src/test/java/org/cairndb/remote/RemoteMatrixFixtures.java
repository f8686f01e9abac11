package org.cairndb.remote;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.cairndb.storage.conformance.StorageFixture;
import org.cairndb.storage.matrix.StorageKind;
import org.cairndb.storage.matrix.StorageKindFixtures;

/**
 * cairn:// for {@code @OnStorages} in this module's tests ({@link RemoteFixture}: a real server
 * per storage over a fresh backing storage; peers are further clients of the same server;
 * over postgres:// persistent, one database per test class and kind, a schema per server).
 */
public final class RemoteMatrixFixtures implements StorageKindFixtures {
    private static final Map<String, String> DATABASES = new ConcurrentHashMap<>();

    @Override
    public Set<StorageKind> kinds() {
        return Set.of(
                StorageKind.CAIRN_TEMP,
                StorageKind.CAIRN_TEMP_NO_CACHE,
                StorageKind.CAIRN_MEM,
                StorageKind.CAIRN_POSTGRES,
                StorageKind.CAIRN_POSTGRES_HISTORY_FREE);
    }

    @Override
    public StorageFixture fixture(StorageKind kind, Class<?> owner) {
        return switch (kind) {
            case CAIRN_TEMP -> new RemoteFixture("temp:", "");
            case CAIRN_TEMP_NO_CACHE -> new RemoteFixture("temp:", "?cache-mb=0");
            case CAIRN_MEM -> new RemoteFixture("mem:", "");
            case CAIRN_POSTGRES -> RemotePostgres.fixture(database(owner, kind), "preserving");
            case CAIRN_POSTGRES_HISTORY_FREE -> RemotePostgres.fixture(database(owner, kind), "free");
            default -> throw new IllegalArgumentException("not offered here: " + kind);
        };
    }

    private static String database(Class<?> owner, StorageKind kind) {
        return DATABASES.computeIfAbsent(owner.getName() + "/" + kind.name(), k -> RemotePostgres.database(owner));
    }
}
