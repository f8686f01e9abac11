package org.cairndb.mapping;

import org.cairndb.storage.conformance.StorageConformance;
import org.cairndb.storage.conformance.StorageFixture;
import org.cairndb.storage.uri.Storages;

/** The whole conformance kit against {@code mem:} opened through its URI (small maps: fast to create). */
class MappingStorageConformanceTest implements StorageConformance {
    @Override
    public StorageFixture fixture() {
        return StorageFixture.of("mem:", () -> Storages.open("mem:?entries=20000&avgValueSize=128"));
    }
}
