package org.cairndb.testkit.replay;

import org.cairndb.postgres.testing.TestPostgres;
import org.cairndb.storage.conformance.ConcurrencyContract;
import org.cairndb.storage.conformance.SchedulePropertyContract;
import org.cairndb.storage.conformance.StorageFixture;
import org.cairndb.storage.uri.Storages;

/** The conformance kit's serial-replay contracts on {@code postgres://} (a fresh database per storage). */
class PostgresSerialReplayTest implements ConcurrencyContract, SchedulePropertyContract {
    @Override
    public StorageFixture fixture() {
        return StorageFixture.of("postgres://", () ->
                Storages.open(TestPostgres.get().freshUri(PostgresSerialReplayTest.class, "history=preserving")));
    }
}
