package org.cairndb.storage.uri;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.cairndb.storage.Storage;

/** Opens a storage from its URI through the {@link StorageProvider}s on the class path. */
public final class Storages {
    /** Cairn's own schemes and the artifact that provides each: the error for a missing one names what to add. */
    private static final Map<String, String> CAIRN_ARTIFACTS = Map.of(
            "mem",
            "cairn-storage-mapping",
            "temp",
            "cairn-storage-temp",
            "postgres",
            "cairn-storage-postgres",
            "postgresql",
            "cairn-storage-postgres",
            "cairn",
            "cairn-storage-remote");

    private Storages() {}

    public static Storage open(String uri) {
        return open(StorageUri.parse(uri));
    }

    /**
     * Opens a storage that must already exist, creating nothing (no file, directory, table or
     * schema): the open mode of every command that only reads. A storage that does not exist
     * is an error naming it.
     */
    public static Storage openExisting(String uri) {
        return open(StorageUri.parse(uri).withParam(StorageUri.CREATE, "false"));
    }

    public static Storage open(StorageUri uri) {
        StorageProvider p = providers().get(uri.scheme());
        if (p == null) {
            String artifact = CAIRN_ARTIFACTS.get(uri.scheme());
            if (artifact != null) {
                throw new InvalidStorageUriException(
                        uri.redacted(),
                        "scheme '" + uri.scheme() + "' is provided by org.cairndb:" + artifact
                                + ", which is not on the class path: add it (runtime scope is enough); known schemes: "
                                + describeKnown());
            }
            throw new InvalidStorageUriException(
                    uri.redacted(),
                    "unknown scheme '" + uri.scheme() + "'; known schemes: " + describeKnown()
                            + " (a storage module plugs in by being on the class path)");
        }
        return p.open(uri);
    }

    /** scheme → provider, for every provider on the class path. */
    public static TreeMap<String, StorageProvider> providers() {
        TreeMap<String, StorageProvider> map = new TreeMap<>();
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        for (StorageProvider p :
                ServiceLoader.load(StorageProvider.class, cl != null ? cl : Storages.class.getClassLoader())) {
            for (String s : p.schemes()) map.putIfAbsent(s, p);
        }
        return map;
    }

    /** e.g. "mem: (mem: or mem:/path/file.cairn), temp: (...)". */
    public static String describeKnown() {
        List<String> parts = new ArrayList<>();
        providers().forEach((s, p) -> parts.add(s + ": (" + p.usage() + ")"));
        return parts.isEmpty() ? "none (no storage module is on the class path)" : String.join(", ", parts);
    }
}
