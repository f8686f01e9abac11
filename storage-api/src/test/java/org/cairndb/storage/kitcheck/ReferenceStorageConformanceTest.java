package org.cairndb.storage.kitcheck;

import org.cairndb.storage.conformance.StorageConformance;
import org.cairndb.storage.conformance.StorageFixture;

/** Runs the whole kit against the kit's reference object with every capability. */
class ReferenceStorageConformanceTest implements StorageConformance {
    @Override
    public StorageFixture fixture() {
        return StorageFixture.of("reference", () -> ReferenceStorage.full("reference"));
    }
}
