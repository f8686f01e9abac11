package org.cairndb.remote;

import org.cairndb.storage.conformance.StorageFixture;
import org.junit.jupiter.api.BeforeAll;

/** The whole conformance kit against cairn:// served by a real server over postgres:// history=preserving. */
class RemoteOverPostgresHistoryPreservingConformanceTest implements RemoteConformance {
    private static String database;

    @BeforeAll
    static void database() {
        database = RemotePostgres.database(RemoteOverPostgresHistoryPreservingConformanceTest.class);
    }

    @Override
    public StorageFixture fixture() {
        return RemotePostgres.fixture(database, "preserving");
    }
}
