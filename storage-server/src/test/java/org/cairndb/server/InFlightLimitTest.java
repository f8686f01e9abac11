package org.cairndb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.cairndb.protocol.Messages;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.Storage;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.Test;

/**
 * The in-flight limit stops reading a connection and must always start it again. Regression:
 * the event loop's "stop" (count reached the limit) could land after a worker's "resume"
 * (count fell below it), leaving the connection unread forever with nothing in flight; a
 * transaction of 1,000 streamed stores then never got its FINISH answered (seen once in a few
 * runs of {@code bench restart-cache} on a loaded machine). The window is a few instructions
 * wide, so this test cannot force it; it makes every store cross a tiny limit, 20,000 times,
 * so a regression that widens it shows up as a FINISH without answer (the socket's deadline).
 */
class InFlightLimitTest {
    @Test
    void streamedStores_farBeyondTheLimit_everyTransactionAnswered() throws IOException {
        try (Storage backing = Storages.open("temp:");
                CairnServer server = CairnServer.start(
                        new ServerConfig().port(0).storage("main", backing).maxInFlight(2));
                RawClient c = new RawClient(server.port()).hello()) {
            byte[] data = new RecordHeader("t.V", new long[0])
                    .encode(ByteBuffer.allocate(8).putLong(1).array());
            for (int txn = 1; txn <= 20; txn++) {
                long[] oids = c.call(Op.NEW_OIDS, new PayloadWriter().i32(1000))
                        .reader()
                        .longs();
                PayloadWriter begin = new PayloadWriter().i64(txn);
                Messages.writeMetadata(begin, TransactionMetadata.EMPTY);
                c.send(begin.frame(0, Op.BEGIN));
                for (long oid : oids)
                    c.send(new PayloadWriter()
                            .i64(txn)
                            .i64(oid)
                            .i64(0)
                            .bytes(data)
                            .frame(0, Op.STORE));
                c.call(Op.VOTE, new PayloadWriter().i64(txn));
                long tid = c.call(Op.FINISH, new PayloadWriter().i64(txn))
                        .reader()
                        .i64(); // the socket's deadline fails a hang
                assertThat(backing.load(oids[999]).tid()).isEqualTo(tid);
            }
        }
    }
}
