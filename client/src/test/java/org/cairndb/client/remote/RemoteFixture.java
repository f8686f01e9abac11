package org.cairndb.client.remote;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.cairndb.storage.Storage;
import org.cairndb.storage.conformance.StorageFixture;

/**
 * cairn:// storages for the conformance kit: each {@link #open()} starts a real server on a
 * free loopback port over a fresh backing storage ({@code backing} URI, e.g. temp:) and
 * connects a {@link RemoteStorage} to it. Peers are further clients of the same server.
 */
final class RemoteFixture implements StorageFixture {
    private final String backing;
    private final String params;
    private final List<CairnServer> servers = new ArrayList<>();
    private final Map<Storage, CairnServer> serverOf = new IdentityHashMap<>();

    RemoteFixture(String backing, String params) {
        this.backing = backing;
        this.params = params;
    }

    @Override
    public Storage open() {
        CairnServer server = CairnServer.start(new ServerConfig().port(0).storage("main", backing));
        servers.add(server);
        return connect(server);
    }

    private Storage connect(CairnServer server) {
        Storage s = RemoteStorage.open("cairn://127.0.0.1:" + server.port() + "/main" + params);
        serverOf.put(s, server);
        return s;
    }

    @Override
    public boolean canOpenPeer() {
        return true;
    }

    @Override
    public Storage openPeer(Storage storage) {
        return connect(serverOf.get(storage));
    }

    @Override
    public void close() {
        for (CairnServer s : servers) s.close();
        servers.clear();
    }

    @Override
    public String toString() {
        return "cairn:// over " + backing + params;
    }
}
