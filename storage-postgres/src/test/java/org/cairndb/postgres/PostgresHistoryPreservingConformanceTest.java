package org.cairndb.postgres;

import org.cairndb.storage.conformance.StorageConformance;
import org.cairndb.storage.conformance.StorageFixture;
import org.junit.jupiter.api.BeforeAll;

class PostgresHistoryPreservingConformanceTest implements StorageConformance {
    private static String database;

    @BeforeAll
    static void database() {
        database = PgFixture.database(PostgresHistoryPreservingConformanceTest.class);
    }

    @Override
    public StorageFixture fixture() {
        return new PgFixture(database, "preserving");
    }
}
