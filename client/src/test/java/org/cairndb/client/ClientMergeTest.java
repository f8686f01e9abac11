package org.cairndb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.ReadConflictException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.conflict.ResolverRegistry;
import org.cairndb.storage.conformance.Records;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client-side merge loop on its own, over real storages and the kit's counter resolver
 * ({@code committed + mine - ancestor}): {@code mem:} only detects conflicts, so they are
 * merged here; {@code temp:} merges them itself.
 */
class ClientMergeTest {
    private static final TransactionMetadata MD = TransactionMetadata.EMPTY;
    private Storage storage;
    private StorageView pinned;

    @AfterEach
    void close() {
        if (pinned != null) pinned.close();
        if (storage != null) storage.close();
    }

    private ClientMerge openOn(String uri) {
        storage = Storages.open(uri);
        return new ClientMerge(storage, ResolverRegistry::fromClassPath);
    }

    /** Commits {@code record} for {@code oid} directly through the storage (another writer); its tid. */
    private long commitElsewhere(long oid, long readTid, byte[] record) {
        StorageTransaction t = storage.begin(MD);
        t.store(oid, readTid, record);
        t.vote();
        return t.finish();
    }

    @Test
    void mem_a_conflict_on_a_resolvable_record_is_merged_here_and_the_transaction_staged_again() {
        ClientMerge merge = openOn("mem:");
        assertThat(merge.enabled()).isTrue();
        long oid = storage.newOids(1)[0];
        long other = storage.newOids(1)[0];
        long t1 = commitElsewhere(oid, Tid.ZERO, Records.counter(10));
        merge.ancestor(oid, Records.counter(10));
        long t2 = commitElsewhere(oid, t1, Records.counter(15)); // +5 elsewhere

        merge.begin(MD);
        merge.store(oid, t1, Records.counter(13)); // +3 here
        merge.store(other, Tid.ZERO, Records.object("with it"));
        Map<Long, byte[]> merged = merge.vote(Map.of());
        long t3 = merge.finish();

        assertThat(Records.counterValue(merged.get(oid))).isEqualTo(18);
        assertThat(merged).containsOnlyKeys(oid);
        assertThat(Records.counterValue(merge.staged(oid))).isEqualTo(18);
        assertThat(Records.counterValue(merge.ancestorOf(oid)))
                .as("the committed record merged over")
                .isEqualTo(15);
        assertThat(t3).isGreaterThan(t2);
        assertThat(Records.counterValue(storage.load(oid).data())).isEqualTo(18);
        assertThat(storage.load(oid).tid()).isEqualTo(t3);
        assertThat(Records.text(storage.load(other).data()))
                .as("the re-staged transaction keeps every store")
                .isEqualTo("with it");
    }

    @Test
    void mem_without_an_ancestor_the_conflict_stands() {
        ClientMerge merge = openOn("mem:");
        long oid = storage.newOids(1)[0];
        long t1 = commitElsewhere(oid, Tid.ZERO, Records.counter(10));
        commitElsewhere(oid, t1, Records.counter(15));

        merge.begin(MD);
        merge.store(oid, t1, Records.counter(13));
        assertThatThrownBy(() -> merge.vote(Map.of())).isInstanceOf(ConflictException.class);
        merge.abort(); // nothing left open
        assertThat(Records.counterValue(storage.load(oid).data())).isEqualTo(15);
    }

    @Test
    void mem_an_object_declared_readCurrent_is_never_merged_here() {
        ClientMerge merge = openOn("mem:");
        long oid = storage.newOids(1)[0];
        long t1 = commitElsewhere(oid, Tid.ZERO, Records.counter(10));
        merge.ancestor(oid, Records.counter(10));
        commitElsewhere(oid, t1, Records.counter(15));

        merge.begin(MD);
        merge.store(oid, t1, Records.counter(13));
        assertThatThrownBy(() -> merge.vote(Map.of(oid, t1))).isInstanceOf(ConflictException.class);
        merge.abort();
        assertThat(Records.counterValue(storage.load(oid).data())).isEqualTo(15);
    }

    @Test
    void temp_merges_itself_so_nothing_is_kept_here_and_a_merged_readCurrent_object_fails_the_commit() {
        ClientMerge merge = openOn("temp:");
        assertThat(merge.enabled()).isFalse();
        long oid = storage.newOids(1)[0];
        long t1 = commitElsewhere(oid, Tid.ZERO, Records.counter(10));
        merge.ancestor(oid, Records.counter(10));
        assertThat(merge.ancestorOf(oid)).isNull();
        pinned = storage.openView(); // keeps revision t1, the ancestor temp: merges over
        long t2 = commitElsewhere(oid, t1, Records.counter(15));

        merge.begin(MD);
        merge.store(oid, t1, Records.counter(13));
        assertThatThrownBy(() -> merge.vote(Map.of(oid, t1)))
                .isInstanceOf(ReadConflictException.class)
                .hasMessageContaining("declared readCurrent");
        merge.abort();
        assertThat(storage.load(oid).tid()).isEqualTo(t2);
    }

    @Test
    void temp_the_storage_merge_is_reported_by_vote() {
        ClientMerge merge = openOn("temp:");
        long oid = storage.newOids(1)[0];
        long t1 = commitElsewhere(oid, Tid.ZERO, Records.counter(10));
        pinned = storage.openView(); // keeps revision t1, the ancestor temp: merges over
        commitElsewhere(oid, t1, Records.counter(15));

        merge.begin(MD);
        merge.store(oid, t1, Records.counter(13));
        Map<Long, byte[]> merged = merge.vote(Map.of());
        merge.finish();
        assertThat(Records.counterValue(merged.get(oid))).isEqualTo(18);
        assertThat(Records.counterValue(storage.load(oid).data())).isEqualTo(18);
    }

    @Test
    void forgetting_an_object_drops_its_ancestor() {
        ClientMerge merge = openOn("mem:");
        merge.ancestor(7, Records.counter(1));
        merge.forget(7);
        assertThat(merge.ancestorOf(7)).isNull();
    }
}
