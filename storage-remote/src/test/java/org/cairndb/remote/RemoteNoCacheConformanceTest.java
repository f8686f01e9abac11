package org.cairndb.remote;

import org.cairndb.storage.conformance.StorageFixture;
import org.cairndb.storage.matrix.OnStorages;
import org.cairndb.storage.matrix.StorageKind;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The kit again with the record cache off: every load goes to the server (under -Pexhaustive: it doubles the kit's time). */
@EnabledIfSystemProperty(named = "cairn.exhaustive", matches = "true")
@OnStorages(StorageKind.CAIRN_TEMP_NO_CACHE)
class RemoteNoCacheConformanceTest implements RemoteConformance {
    private StorageKind storage;

    @Override
    public StorageFixture fixture() {
        return storage.fixture(getClass());
    }
}
