package org.cairndb.storage.matrix;

import java.util.EnumMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.cairndb.storage.conformance.StorageFixture;

/**
 * The storages a test can ask for with {@link OnStorages}: each names itself as the test
 * report shows it and makes a {@link StorageFixture} of fresh, empty storages of its kind.
 * The {@code CAIRN_*} kinds are {@code cairn://} clients over a real socket, each storage
 * its own in-process server over a fresh backing storage. The kinds only name storages: the
 * modules that can open them offer their fixtures through {@link StorageKindFixtures}.
 */
public enum StorageKind {
    MEM("mem:"),
    MEM_FILE("mem:/file"),
    TEMP("temp:"),
    POSTGRES("postgres://"),
    POSTGRES_HISTORY_FREE("postgres:// history-free"),
    CAIRN_TEMP("cairn:// over temp:"),
    /** cairn:// over temp: with the client's record cache off: every load goes to the server. */
    CAIRN_TEMP_NO_CACHE("cairn:// over temp: no cache"),
    CAIRN_MEM("cairn:// over mem:"),
    CAIRN_POSTGRES("cairn:// over postgres://"),
    CAIRN_POSTGRES_HISTORY_FREE("cairn:// over postgres:// history-free");

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
        StorageKindFixtures provider = Providers.BY_KIND.get(this);
        if (provider == null) {
            throw new IllegalStateException("no fixture for storage kind " + name() + " (" + label
                    + ") on this test classpath:"
                    + " register a provider that offers it in META-INF/services/" + StorageKindFixtures.class.getName()
                    + " (see docs/conformance.md)");
        }
        return provider.fixture(this, owner);
    }

    private static final class Providers {
        /** Each kind's provider, found once per test JVM on the test classpath. */
        static final Map<StorageKind, StorageKindFixtures> BY_KIND = load();

        private static Map<StorageKind, StorageKindFixtures> load() {
            Map<StorageKind, StorageKindFixtures> byKind = new EnumMap<>(StorageKind.class);
            for (StorageKindFixtures p : ServiceLoader.load(StorageKindFixtures.class)) {
                for (StorageKind k : p.kinds()) {
                    StorageKindFixtures other = byKind.putIfAbsent(k, p);
                    if (other != null) {
                        throw new IllegalStateException("storage kind " + k.name() + " is offered by both "
                                + other.getClass().getName() + " and "
                                + p.getClass().getName()
                                + ": register one of them in META-INF/services/" + StorageKindFixtures.class.getName());
                    }
                }
            }
            return byKind;
        }
    }
}
