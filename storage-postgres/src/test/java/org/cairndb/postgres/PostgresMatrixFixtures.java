package org.cairndb.postgres;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.cairndb.storage.conformance.StorageFixture;
import org.cairndb.storage.matrix.StorageKind;
import org.cairndb.storage.matrix.StorageKindFixtures;

/**
 * postgres:// for {@code @OnStorages}: one database per test class and kind of the test JVM's
 * embedded PostgreSQL, a fresh schema per storage ({@link PgFixture}: persistent, with peers).
 */
public final class PostgresMatrixFixtures implements StorageKindFixtures {
    private static final Map<String, String> DATABASES = new ConcurrentHashMap<>();

    @Override
    public Set<StorageKind> kinds() {
        return Set.of(StorageKind.POSTGRES, StorageKind.POSTGRES_HISTORY_FREE);
    }

    @Override
    public StorageFixture fixture(StorageKind kind, Class<?> owner) {
        String history = switch (kind) {
            case POSTGRES -> "preserving";
            case POSTGRES_HISTORY_FREE -> "free";
            default -> throw new IllegalArgumentException("not offered here: " + kind);
        };
        String database =
                DATABASES.computeIfAbsent(owner.getName() + "/" + kind.name(), k -> PgFixture.database(owner));
        return new PgFixture(database, history);
    }
}
