package org.cairndb.remote;

import org.cairndb.storage.conformance.StorageFixture;

/** The whole conformance kit against cairn:// served by a real server over temp:. */
class RemoteOverTempConformanceTest implements RemoteConformance {
    @Override
    public StorageFixture fixture() {
        return new RemoteFixture("temp:", "");
    }
}
