package org.cairndb.remote;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.cairndb.storage.Storage;
import org.cairndb.storage.conformance.StorageFixture;

/**
 * cairn:// storages for the conformance kit: each {@link #open()} starts a real server on a
 * free loopback port over a fresh backing storage ({@code backing} URI, e.g. temp:) and
 * connects a {@link RemoteStorage} to it. Peers are further clients of the same server.
 * A backing storage that is not empty when opened twice (postgres://) is named afresh for
 * each server by a supplier of URIs (a new schema per server).
 */
final class RemoteFixture implements StorageFixture {
    private final Supplier<String> backing;
    private final String description;
    private final String params;
    private final List<CairnServer> servers = new ArrayList<>();
    private final Map<Storage, CairnServer> serverOf = new IdentityHashMap<>();
    private final Map<CairnServer, String> backingOf = new IdentityHashMap<>();
    private final boolean persistent;

    RemoteFixture(String backing, String params) {
        this(() -> backing, backing, params, false);
    }

    /**
     * Each server serves the storage of a new URI from {@code backing} (a fresh postgres://
     * schema, say). {@code persistent}: the backing data outlives its server, so
     * {@link #reopen} stops the server and starts a new one on the same URI.
     */
    RemoteFixture(Supplier<String> backing, String description, String params, boolean persistent) {
        this.backing = backing;
        this.description = description;
        this.params = params;
        this.persistent = persistent;
    }

    @Override
    public Storage open() {
        return connect(serve(backing.get()));
    }

    private CairnServer serve(String uri) {
        CairnServer server = CairnServer.start(new ServerConfig().port(0).storage("main", uri));
        servers.add(server);
        backingOf.put(server, uri);
        return server;
    }

    @Override
    public boolean persistent() {
        return persistent;
    }

    /** Closes the client and its server (every client of it), then serves the same data anew. */
    @Override
    public Storage reopen(Storage storage) {
        if (!persistent) return StorageFixture.super.reopen(storage);
        CairnServer old = serverOf.get(storage);
        storage.close();
        old.close();
        servers.remove(old);
        return connect(serve(backingOf.get(old)));
    }

    private Storage connect(CairnServer server) {
        return connect(server, params);
    }

    private Storage connect(CairnServer server, String params) {
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
    public boolean canOpenReadOnly() {
        return true;
    }

    /** A client that asked for read-only access in its handshake, on the same server. */
    @Override
    public Storage openReadOnly(Storage storage) {
        return connect(serverOf.get(storage), params + (params.isEmpty() ? "?" : "&") + "readonly=true");
    }

    @Override
    public void close() {
        for (CairnServer s : servers) s.close();
        servers.clear();
    }

    @Override
    public String toString() {
        return "cairn:// over " + description + params;
    }
}
