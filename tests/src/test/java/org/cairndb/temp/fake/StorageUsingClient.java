package org.cairndb.temp.fake;

/** Test fixture for ArchitectureRulesCanFailTest: a storage importing the object layer and another storage. */
public class StorageUsingClient {
    public Object misuse() {
        return new org.cairndb.client.fake.ClientUsingStorage().toString()
                + new org.cairndb.mapping.fake.FakeMappingStorage();
    }
}
