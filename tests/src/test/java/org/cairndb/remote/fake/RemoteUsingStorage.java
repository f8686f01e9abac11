package org.cairndb.remote.fake;

/** Test fixture for ArchitectureRulesCanFailTest: the cairn:// storage reaching into another storage. */
public class RemoteUsingStorage {
    public Object misuse() {
        return new org.cairndb.mapping.fake.FakeMappingStorage();
    }
}
