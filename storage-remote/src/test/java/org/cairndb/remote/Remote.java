package org.cairndb.remote;

import java.nio.ByteBuffer;
import org.cairndb.server.CairnServer;
import org.cairndb.server.ServerConfig;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.TransactionMetadata;

/** Helpers of the cairn:// tests: servers on free ports, records that carry a number. */
final class Remote {
    private Remote() {}

    static CairnServer serve(Storage backing) {
        return CairnServer.start(new ServerConfig().port(0).storage("main", backing));
    }

    static CairnServer serve(ServerConfig c) {
        return CairnServer.start(c);
    }

    static RemoteStorage connect(CairnServer server, String params) {
        return connect(server.port(), params);
    }

    static RemoteStorage connect(int port, String params) {
        return RemoteStorage.open("cairn://127.0.0.1:" + port + "/main" + (params.isEmpty() ? "" : "?" + params));
    }

    static byte[] value(long v) {
        return new RecordHeader("test.Value", new long[0])
                .encode(ByteBuffer.allocate(8).putLong(v).array());
    }

    static long valueOf(byte[] data) {
        return ByteBuffer.wrap(RecordHeader.body(data)).getLong();
    }

    static long valueOf(Loaded l) {
        return valueOf(l.data());
    }

    /** Commits {@code value} to {@code oid} (read at {@code readTid}); returns the tid. */
    static long commit(Storage s, long oid, long readTid, long value) {
        StorageTransaction t = s.begin(TransactionMetadata.of("test", "commit"));
        t.store(oid, readTid, value(value));
        t.vote();
        return t.finish();
    }
}
