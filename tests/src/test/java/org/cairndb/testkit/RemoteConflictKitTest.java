package org.cairndb.testkit;

import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.cairndb.storage.Storage;
import org.cairndb.storage.uri.Storages;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The conflict kit over Cairn's collections on {@code cairn://}: a Cairn server on a free
 * loopback port serving a {@code temp:} storage (conflicts resolved in the server), reached
 * through RemoteStorage over a real socket.
 */
class RemoteConflictKitTest extends ObjectLayerConflictContract {
    private static CairnServer server;

    @Override
    Storage openStorage() {
        server = CairnServer.start(new ServerConfig().host("127.0.0.1").port(0).storage("main", "temp:"));
        return Storages.open("cairn://127.0.0.1:" + server.port() + "/main");
    }

    @AfterContainer
    static void stopServer() {
        closeStorages();
        if (server != null) server.close();
        server = null;
    }
}
