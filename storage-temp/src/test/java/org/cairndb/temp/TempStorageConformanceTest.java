package org.cairndb.temp;

import org.cairndb.storage.conformance.StorageConformance;
import org.cairndb.storage.conformance.StorageFixture;
import org.cairndb.storage.uri.Storages;

/** The whole conformance kit against {@code temp:} opened through its URI, as users open it. */
class TempStorageConformanceTest implements StorageConformance {
    @Override
    public StorageFixture fixture() {
        return StorageFixture.of("temp:", () -> Storages.open("temp:"));
    }
}
