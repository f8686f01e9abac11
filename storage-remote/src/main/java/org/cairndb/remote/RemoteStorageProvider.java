package org.cairndb.remote;

import java.util.Set;
import org.cairndb.storage.Storage;
import org.cairndb.storage.uri.StorageProvider;
import org.cairndb.storage.uri.StorageUri;

/** Opens {@code cairn://host:port/name?...} storages: a {@link RemoteStorage} connected to a Cairn server. */
public final class RemoteStorageProvider implements StorageProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("cairn");
    }

    @Override
    public String usage() {
        return "cairn://host:port/name?secret=&readonly=&cache=/path&cache-mb=&tls-keystore=&tls-truststore=&tls-password=";
    }

    @Override
    public Storage open(StorageUri uri) {
        return RemoteStorage.open(uri);
    }
}
