package org.cairndb.storage.matrix;

import java.util.Set;
import org.cairndb.storage.conformance.StorageFixture;

/**
 * How a module's tests make the storages of the kinds it can open: {@link StorageKind} only
 * names storages, and storage-api cannot open a {@code postgres://} or {@code cairn://} one.
 * Each module registers its providers for its own tests in
 * {@code src/test/resources/META-INF/services/org.cairndb.storage.matrix.StorageKindFixtures}
 * (a provider class may come from another module's test-jar; the registration file stays out
 * of test-jars, so a module's test classpath offers exactly what its own file names). A kind
 * offered by no provider, or by two, fails the run naming the kind.
 */
public interface StorageKindFixtures {
    /** The kinds this provider makes. */
    Set<StorageKind> kinds();

    /**
     * A fixture of fresh, empty storages of {@code kind} (one of {@link #kinds()});
     * {@code owner} is the test class (postgres fixtures name their database after it).
     */
    StorageFixture fixture(StorageKind kind, Class<?> owner);
}
