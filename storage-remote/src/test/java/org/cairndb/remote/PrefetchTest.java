package org.cairndb.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cairndb.server.CairnServer;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 19, lever 3: a view's prefetch fetches many records in pipelined round trips (one per
 * {@link RemoteView#BATCH} oids) and answers the loads that follow from them, with exactly the
 * records a load at the view's snapshot would return; with the record cache on and off.
 */
class PrefetchTest {
    private static final int N = 300; // three batches

    @ParameterizedTest
    @ValueSource(strings = {"cache-mb=0", ""})
    void prefetch_thenLoads_sameRecordsAsLoads_inOneRoundTripPerBatch(String params) {
        try (Storage backing = Storages.open("temp:");
                CairnServer server = Remote.serve(backing);
                RemoteStorage writer = Remote.connect(server, "cache-mb=0");
                RemoteStorage reader = Remote.connect(server, params)) {
            long[] oids = writeAll(writer, 0);
            try (StorageView plain = writer.openView();
                    StorageView v = reader.openView()) {
                long trips0 = reader.roundTrips();
                v.prefetch(oids);
                long prefetchTrips = reader.roundTrips() - trips0;
                // the cache (when on) holds nothing of these yet: every record comes over the wire
                assertThat(prefetchTrips).isEqualTo((N + RemoteView.BATCH - 1) / RemoteView.BATCH);
                for (long oid : oids) {
                    Loaded got = v.load(oid);
                    Loaded want = plain.load(oid);
                    assertThat(got.tid()).isEqualTo(want.tid());
                    assertThat(got.data()).isEqualTo(want.data());
                }
                assertThat(reader.roundTrips() - trips0)
                        .as("loads after the prefetch do not go to the server")
                        .isEqualTo(prefetchTrips);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cache-mb=0", ""})
    void prefetch_afterNewerCommits_returnsTheViewsSnapshot_andSyncDropsWhatWasHeld(String params) {
        try (Storage backing = Storages.open("temp:");
                CairnServer server = Remote.serve(backing);
                RemoteStorage writer = Remote.connect(server, "cache-mb=0");
                RemoteStorage reader = Remote.connect(server, params)) {
            long[] oids = writeAll(writer, 0);
            try (StorageView v = reader.openView()) {
                for (int i = 0; i < N; i += 7) v.load(oids[i]); // some in the record cache (when on) at the old tid
                long[] serials = new long[N];
                for (int i = 0; i < N; i++) serials[i] = writer.load(oids[i]).tid();
                for (int i = 0; i < N; i++) Remote.commit(writer, oids[i], serials[i], 1000 + i); // newer than the view
                reader.lastTid(); // every invalidation applied on the reader
                v.prefetch(oids);
                for (int i = 0; i < N; i++)
                    assertThat(Remote.valueOf(v.load(oids[i])))
                            .as("oid %d at the view's tid", i)
                            .isEqualTo(i);
                v.prefetch(oids);
                v.sync(); // held records were at the old tid
                for (int i = 0; i < N; i++)
                    assertThat(Remote.valueOf(v.load(oids[i])))
                            .as("oid %d after sync", i)
                            .isEqualTo(1000 + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cache-mb=0", ""})
    void prefetch_ofAMissingOid_skipsIt_andItsLoadStillFails(String params) {
        try (Storage backing = Storages.open("temp:");
                CairnServer server = Remote.serve(backing);
                RemoteStorage writer = Remote.connect(server, "cache-mb=0");
                RemoteStorage reader = Remote.connect(server, params)) {
            long[] oids = writeAll(writer, 0);
            long missing = writer.newOids(1)[0];
            try (StorageView v = reader.openView()) {
                v.prefetch(new long[] {oids[0], missing, oids[1]});
                assertThat(Remote.valueOf(v.load(oids[0]))).isEqualTo(0);
                assertThat(Remote.valueOf(v.load(oids[1]))).isEqualTo(1);
                assertThatThrownBy(() -> v.load(missing)).isInstanceOf(PosKeyException.class);
            }
        }
    }

    /** N new objects holding base + i, in one transaction; returns their oids. */
    private static long[] writeAll(RemoteStorage s, long base) {
        long[] oids = s.newOids(N);
        StorageTransaction t = s.begin(TransactionMetadata.of("test", "prefetch"));
        for (int i = 0; i < N; i++) t.store(oids[i], Tid.ZERO, Remote.value(base + i));
        t.vote();
        t.finish();
        return oids;
    }
}
