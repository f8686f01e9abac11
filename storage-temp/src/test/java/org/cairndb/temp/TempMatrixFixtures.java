package org.cairndb.temp;

import java.util.Set;
import org.cairndb.storage.conformance.StorageFixture;
import org.cairndb.storage.matrix.StorageKind;
import org.cairndb.storage.matrix.StorageKindFixtures;
import org.cairndb.storage.uri.Storages;

/** temp: for {@code @OnStorages} in this module's tests, opened through its URI as users open it. */
public final class TempMatrixFixtures implements StorageKindFixtures {
    @Override
    public Set<StorageKind> kinds() {
        return Set.of(StorageKind.TEMP);
    }

    @Override
    public StorageFixture fixture(StorageKind kind, Class<?> owner) {
        return StorageFixture.of("temp:", () -> Storages.open("temp:"));
    }
}
