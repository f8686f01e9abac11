package org.cairndb.testkit.replay;

import org.cairndb.storage.conformance.ConcurrencyContract;
import org.cairndb.storage.conformance.SchedulePropertyContract;
import org.cairndb.storage.conformance.StorageFixture;
import org.cairndb.storage.matrix.OnStorages;
import org.cairndb.storage.matrix.StorageKind;

/**
 * The conformance kit's serial-replay contracts (threads, and random one-thread schedules)
 * on every storage of the matrix: postgres:// is history-preserving and each storage of it a
 * fresh database; each cairn:// storage is a client of its own in-process server over a
 * fresh temp:.
 */
@OnStorages({StorageKind.MEM, StorageKind.TEMP, StorageKind.POSTGRES, StorageKind.CAIRN_TEMP})
class SerialReplayTest implements ConcurrencyContract, SchedulePropertyContract {
    /** The storage of this run, set by the matrix. */
    private StorageKind storage;

    @Override
    public StorageFixture fixture() {
        return storage.fixture(SerialReplayTest.class);
    }
}
