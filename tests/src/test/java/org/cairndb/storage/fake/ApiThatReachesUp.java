package org.cairndb.storage.fake;

/** Test fixture for ArchitectureRulesCanFailTest: storage-api code reaching into a storage. */
public class ApiThatReachesUp {
    public Object reach() {
        return new org.cairndb.mapping.fake.FakeMappingStorage();
    }
}
