package org.cairndb.temp;

import org.cairndb.storage.conformance.StorageConformance;
import org.cairndb.storage.conformance.StorageFixture;
import org.cairndb.storage.matrix.OnStorages;
import org.cairndb.storage.matrix.StorageKind;

/** The whole conformance kit against {@code temp:} opened through its URI, as users open it. */
@OnStorages(StorageKind.TEMP)
class TempStorageConformanceTest implements StorageConformance {
    private StorageKind storage;

    @Override
    public StorageFixture fixture() {
        return storage.fixture(getClass());
    }
}
