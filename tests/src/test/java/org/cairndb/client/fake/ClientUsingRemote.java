package org.cairndb.client.fake;

/** Test fixture for ArchitectureRulesCanFailTest: the object layer importing the cairn:// storage by class. */
public class ClientUsingRemote {
    public Object misuse() {
        return new org.cairndb.remote.fake.RemoteUsingStorage();
    }
}
