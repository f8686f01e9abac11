package org.cairndb.mapping;

import org.cairndb.storage.conformance.StorageConformance;
import org.cairndb.storage.conformance.StorageFixture;
import org.cairndb.storage.matrix.OnStorages;
import org.cairndb.storage.matrix.StorageKind;

/**
 * The whole conformance kit against {@code mem:} (small maps) and {@code mem:/file}
 * (persistent: the reopen tests run too), both opened through their URIs.
 */
@OnStorages({StorageKind.MEM, StorageKind.MEM_FILE})
class MappingStorageConformanceTest implements StorageConformance {
    private StorageKind storage;

    @Override
    public StorageFixture fixture() {
        return storage.fixture(getClass());
    }
}
