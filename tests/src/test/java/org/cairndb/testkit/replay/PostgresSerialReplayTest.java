package org.cairndb.testkit.replay;

import org.cairndb.postgres.testing.TestPostgres;
import org.cairndb.storage.Storage;
import org.cairndb.storage.conformance.ConcurrencyContract;
import org.cairndb.storage.conformance.SchedulePropertyContract;
import org.cairndb.storage.conformance.StorageFixture;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** The conformance kit's serial-replay contracts on {@code postgres://} (a fresh database per storage). */
class PostgresSerialReplayTest implements ConcurrencyContract, SchedulePropertyContract {
    @Override
    public StorageFixture fixture() {
        return StorageFixture.of("postgres://", () ->
                Storages.open(TestPostgres.get().freshUri(PostgresSerialReplayTest.class, "history=preserving")));
    }

    @Override
    @Test
    @Disabled("finding (issue 7 report): with several writers storing the FIRST revisions of the same objects, PostgreSQL"
            + " reports a deadlock (40P01, 'while inserting index tuple in relation current_object') at vote, thrown as a"
            + " plain RetryableException; locking rows in oid order cannot order inserts of rows that do not exist yet,"
            + " and the contract retries only ConflictException. Enable when storage-postgres orders (or maps) it")
    public void manyWriters_overlappingObjects_equalSerialReplay(Storage s) {
        ConcurrencyContract.super.manyWriters_overlappingObjects_equalSerialReplay(s);
    }
}
