package org.cairndb.tasks;

import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;

/** The queue over cairn:// (a server over temp: per test): workers hear commits through the server's invalidations. */
class RemoteTaskQueueTest extends TaskQueueTest {
    CairnServer server;

    @Override
    String uri() {
        server = CairnServer.start(new ServerConfig().port(0).storage("main", "temp:"));
        return "cairn://127.0.0.1:" + server.port() + "/main";
    }

    @Override
    @AfterEach
    void close() {
        super.close();
        server.close();
    }
}
