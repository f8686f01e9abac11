package org.cairndb.remote;

import org.cairndb.storage.conformance.StorageFixture;
import org.cairndb.storage.matrix.OnStorages;
import org.cairndb.storage.matrix.StorageKind;

/**
 * The whole conformance kit against cairn:// served by a real server over temp:, mem:
 * (MappingStorage) and postgres:// history-preserving and history-free.
 */
@OnStorages({
    StorageKind.CAIRN_TEMP,
    StorageKind.CAIRN_MEM,
    StorageKind.CAIRN_POSTGRES_HISTORY_FREE,
    StorageKind.CAIRN_POSTGRES
})
class RemoteConformanceTest implements RemoteConformance {
    private StorageKind storage;

    @Override
    public StorageFixture fixture() {
        return storage.fixture(getClass());
    }
}
