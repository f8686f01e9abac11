package org.cairndb.testkit.replay;

import org.cairndb.storage.conformance.ConcurrencyContract;
import org.cairndb.storage.conformance.SchedulePropertyContract;
import org.cairndb.storage.conformance.StorageFixture;
import org.cairndb.storage.uri.Storages;

/** The conformance kit's serial-replay contracts (threads, and random one-thread schedules) on {@code temp:}. */
class TempSerialReplayTest implements ConcurrencyContract, SchedulePropertyContract {
    @Override
    public StorageFixture fixture() {
        return StorageFixture.of("temp:", () -> Storages.open("temp:"));
    }
}
