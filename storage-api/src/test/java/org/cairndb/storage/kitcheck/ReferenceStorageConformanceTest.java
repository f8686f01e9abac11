package org.cairndb.storage.kitcheck;

import org.cairndb.storage.Storage;
import org.cairndb.storage.conformance.StorageConformance;
import org.cairndb.storage.conformance.StorageFixture;

/**
 * Runs the whole kit against the kit's reference object with every capability, including the
 * fixture abilities (peers and read-only handles on the same data) that the real storages in
 * this repository do not offer yet, so those contracts are run too.
 */
class ReferenceStorageConformanceTest implements StorageConformance {
    @Override
    public StorageFixture fixture() {
        return new StorageFixture() {
            @Override
            public Storage open() {
                return ReferenceStorage.full("reference");
            }

            @Override
            public boolean canOpenPeer() {
                return true;
            }

            @Override
            public Storage openPeer(Storage storage) {
                return new SharedHandle((ReferenceStorage) storage, false);
            }

            @Override
            public boolean canOpenReadOnly() {
                return true;
            }

            @Override
            public Storage openReadOnly(Storage storage) {
                return new SharedHandle((ReferenceStorage) storage, true);
            }

            @Override
            public String toString() {
                return "reference";
            }
        };
    }
}
