package org.cairndb.client.remote;

import org.cairndb.storage.conformance.StorageConformance;
import org.cairndb.storage.conformance.StorageFixture;

/** The kit again with the record cache off: every load goes to the server. */
class RemoteOverTempNoCacheConformanceTest implements StorageConformance {
    @Override
    public StorageFixture fixture() {
        return new RemoteFixture("temp:", "?cache-mb=0");
    }
}
