package org.cairndb.postgres;

import java.util.Set;
import org.cairndb.storage.Storage;
import org.cairndb.storage.conflict.ResolverRegistry;
import org.cairndb.storage.uri.StorageProvider;
import org.cairndb.storage.uri.StorageUri;

/** Opens {@code postgres://} (and {@code postgresql://}) URIs. */
public final class PostgresStorageProvider implements StorageProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("postgres", "postgresql");
    }

    @Override
    public String usage() {
        return PgConfig.USAGE;
    }

    @Override
    public Storage open(StorageUri uri) {
        return PostgresStorage.open(uri, ResolverRegistry.fromClassPath());
    }
}
