package org.cairndb.remote;

import org.cairndb.storage.conformance.StorageFixture;

/** The kit again with the record cache off: every load goes to the server (under -Pexhaustive: it doubles the kit's time). */
@org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "cairn.exhaustive", matches = "true")
class RemoteOverTempNoCacheConformanceTest implements RemoteConformance {
    @Override
    public StorageFixture fixture() {
        return new RemoteFixture("temp:", "?cache-mb=0");
    }
}
