package org.cairndb.testkit.replay;

import java.util.ArrayList;
import java.util.List;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.cairndb.storage.Storage;
import org.cairndb.storage.conformance.ConcurrencyContract;
import org.cairndb.storage.conformance.SchedulePropertyContract;
import org.cairndb.storage.conformance.StorageFixture;
import org.cairndb.storage.uri.Storages;

/**
 * The conformance kit's serial-replay contracts on {@code cairn://}: each storage the kit opens
 * is a RemoteStorage connected to its own in-process Cairn server over a fresh {@code temp:}.
 */
class RemoteSerialReplayTest implements ConcurrencyContract, SchedulePropertyContract {
    @Override
    public StorageFixture fixture() {
        return new StorageFixture() {
            private final List<CairnServer> servers = new ArrayList<>();

            @Override
            public Storage open() {
                CairnServer server = CairnServer.start(new ServerConfig().host("127.0.0.1").port(0).storage("main", "temp:"));
                servers.add(server);
                return Storages.open("cairn://127.0.0.1:" + server.port() + "/main");
            }

            @Override
            public void close() {
                for (CairnServer s : servers) s.close();
                servers.clear();
            }

            @Override
            public String toString() {
                return "cairn:// over temp:";
            }
        };
    }
}
