package org.cairndb.postgres;

import org.cairndb.storage.conformance.StorageConformance;
import org.cairndb.storage.conformance.StorageFixture;
import org.cairndb.storage.matrix.OnStorages;
import org.cairndb.storage.matrix.StorageKind;

/**
 * The whole conformance kit against postgres://, history-preserving and history-free: a
 * schema per storage, persistent (reopen), with peers (see {@link PostgresMatrixFixtures}).
 */
@OnStorages({StorageKind.POSTGRES, StorageKind.POSTGRES_HISTORY_FREE})
class PostgresConformanceTest implements StorageConformance {
    private StorageKind storage;

    @Override
    public StorageFixture fixture() {
        return storage.fixture(getClass());
    }
}
