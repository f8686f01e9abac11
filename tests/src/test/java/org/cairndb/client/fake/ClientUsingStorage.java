package org.cairndb.client.fake;

/** Test fixture for ArchitectureRulesCanFailTest: the object layer importing a concrete storage. */
public class ClientUsingStorage {
    public Object misuse() {
        return new org.cairndb.mapping.fake.FakeMappingStorage();
    }
}
