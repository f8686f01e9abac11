package org.cairndb.temp;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.cairndb.storage.Storage;
import org.cairndb.storage.uri.StorageProvider;
import org.cairndb.storage.uri.StorageUri;

/** Opens {@code temp:} URIs: each open is a new, empty {@link TemporaryStorage}. */
public final class TempStorageProvider implements StorageProvider {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    @Override
    public Set<String> schemes() {
        return Set.of("temp");
    }

    @Override
    public String usage() {
        return "temp: — a new in-memory MVCC storage with conflict resolution; takes no parameters";
    }

    @Override
    public Storage open(StorageUri uri) {
        uri.requireOnlyParams(Set.of());
        if (!uri.schemeSpecific().isEmpty()) {
            throw new org.cairndb.storage.uri.InvalidStorageUriException(
                    uri.redacted(), "temp: takes no path ('" + uri.schemeSpecific() + "' given); use plain temp:");
        }
        if (!uri.mayCreate()) {
            throw new org.cairndb.storage.uri.InvalidStorageUriException(
                    uri.redacted(),
                    "temp: is a new, empty storage each time it is opened: there is nothing to read from it");
        }
        int n = COUNTER.incrementAndGet();
        String name = n == 1 ? "temp:" : "temp:#" + n;
        return new TemporaryStorage(name);
    }
}
