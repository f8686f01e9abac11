package org.cairndb.testkit.replay;

import org.cairndb.storage.conformance.ConcurrencyContract;
import org.cairndb.storage.conformance.SchedulePropertyContract;
import org.cairndb.storage.conformance.StorageFixture;
import org.cairndb.storage.uri.Storages;

/** The conformance kit's serial-replay contracts on {@code mem:}. */
class MemSerialReplayTest implements ConcurrencyContract, SchedulePropertyContract {
    @Override
    public StorageFixture fixture() {
        return StorageFixture.of("mem:", () -> Storages.open("mem:"));
    }
}
