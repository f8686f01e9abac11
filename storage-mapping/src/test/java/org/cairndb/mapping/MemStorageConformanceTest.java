package org.cairndb.mapping;

import org.cairndb.storage.conformance.StorageConformance;
import org.cairndb.storage.conformance.StorageFixture;
import org.cairndb.storage.uri.Storages;

/** The whole conformance kit against in-memory {@code mem:}, opened through its URI. */
class MemStorageConformanceTest implements StorageConformance {
    @Override
    public StorageFixture fixture() {
        return StorageFixture.of("mem:", () -> Storages.open("mem:?entries=20000"));
    }
}
