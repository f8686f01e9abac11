package org.cairndb.mapping;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.cairndb.storage.Storage;
import org.cairndb.storage.uri.InvalidStorageUriException;
import org.cairndb.storage.uri.StorageProvider;
import org.cairndb.storage.uri.StorageUri;

/**
 * Opens {@code mem:} (a new in-memory storage each time) and {@code mem:/path/file.cairn}
 * (persisted), with {@code entries} (objects it is sized for) and {@code avgValueSize}
 * (average record bytes) to size the off-heap map.
 */
public final class MappingStorageProvider implements StorageProvider {
    private static final Set<String> PARAMS = Set.of("entries", "avgValueSize");
    private static final AtomicInteger COUNTER = new AtomicInteger();

    @Override
    public Set<String> schemes() {
        return Set.of("mem");
    }

    @Override
    public String usage() {
        return "mem: in memory, or mem:/path/file.cairn persisted; parameters entries=" + MappingStorage.DEFAULT_ENTRIES
                + " (objects), avgValueSize=" + MappingStorage.DEFAULT_AVG_VALUE_SIZE + " (bytes per record)";
    }

    @Override
    public Storage open(StorageUri uri) {
        uri.requireOnlyParams(PARAMS);
        long entries = positive(uri, "entries", MappingStorage.DEFAULT_ENTRIES, Long.MAX_VALUE / 2);
        int avg = (int) positive(uri, "avgValueSize", MappingStorage.DEFAULT_AVG_VALUE_SIZE, 64L * 1024 * 1024);
        if (uri.authority() != null) {
            throw new InvalidStorageUriException(
                    uri.redacted(),
                    "mem: takes a local path (mem:/path/file.cairn), not a host ('//" + uri.authority() + "')");
        }
        String path = uri.path();
        if (path.isEmpty()) {
            if (!uri.mayCreate()) {
                throw new InvalidStorageUriException(
                        uri.redacted(),
                        "mem: without a path is a new, empty in-memory storage: there is"
                                + " nothing to read; name the file, e.g. mem:/var/cairn/main.cairn");
            }
            int n = COUNTER.incrementAndGet();
            return MappingStorage.inMemory(n == 1 ? "mem:" : "mem:#" + n, entries, avg);
        }
        return MappingStorage.persisted("mem:" + path, Path.of(path), entries, avg, uri.mayCreate());
    }

    private static long positive(StorageUri uri, String key, long dflt, long max) {
        String v = uri.param(key, null);
        if (v == null) return dflt;
        try {
            long n = Long.parseLong(v.trim());
            if (n < 1 || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidStorageUriException(
                    uri.redacted(), "parameter " + key + "='" + v + "' must be a whole number from 1 to " + max);
        }
    }
}
