package org.cairndb.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cairndb.storage.Capability;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.ConflictException;
import org.cairndb.storage.PackProgress;
import org.cairndb.storage.PackResult;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.ReadConflictException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageException;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;
import org.cairndb.storage.conformance.Kit;
import org.cairndb.storage.conformance.Records;
import org.cairndb.storage.uri.InvalidStorageUriException;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappingStorageTest {
    @TempDir
    Path dir;

    private static MappingStorage small(String name) {
        return MappingStorage.inMemory(name, 1000, 64);
    }

    @Test
    void load_afterCommit_andConflictNeverResolved() {
        try (MappingStorage s = small("basic")) {
            long oid = s.newOids(1)[0];
            long t1 = Kit.commit(s, oid, Tid.ZERO, Records.counter(1));
            assertThat(Records.counterValue(s.load(oid).data())).isEqualTo(1);
            Kit.commit(s, oid, t1, Records.counter(2));
            StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
            t.store(oid, t1, Records.counter(5));
            assertThatThrownBy(t::vote).isInstanceOf(ConflictException.class).hasMessageContaining("never resolves");
            assertThat(s.capabilities())
                    .doesNotContain(Capability.CONFLICT_RESOLUTION, Capability.HISTORY, Capability.UNDO);
            assertThatThrownBy(() -> s.load(999)).isInstanceOf(PosKeyException.class);
        }
    }

    @Test
    void olderRevisions_keptForOpenViewOnly_andBoundedUnderChurn() {
        try (MappingStorage s = small("views")) {
            long oid = s.newOids(1)[0];
            long last = Kit.commit(s, oid, Tid.ZERO, Records.object("first"));
            long first = last;
            StorageView v = s.openView();
            for (int i = 0; i < 2000; i++) last = Kit.commit(s, oid, last, Records.object("n" + i));
            assertThat(s.olderRevisionCount()).isEqualTo(1);
            assertThat(Records.text(v.load(oid).data())).isEqualTo("first");
            assertThat(s.loadBefore(oid, first + 1).tid()).isEqualTo(first);
            assertThatThrownBy(() -> s.loadBefore(oid, first)).isInstanceOf(PosKeyException.class); // before creation
            v.close();
            assertThat(s.olderRevisionCount()).isZero();
            long l = last;
            assertThatThrownBy(() -> s.loadBefore(oid, l)).isInstanceOf(ReadConflictException.class);
            assertThat(s.openViews()).isZero();
        }
    }

    @Test
    void persisted_reopen_keepsStateCountersAndMetadata() {
        Path file = dir.resolve("a.cairn");
        long oid;
        long tid;
        try (MappingStorage s = MappingStorage.persisted("p", file, 1000, 64)) {
            assertThat(s.capabilities()).contains(Capability.DURABLE);
            oid = s.newOids(1)[0];
            StorageTransaction t = s.begin(TransactionMetadata.of("ann", "first"));
            t.store(oid, Tid.ZERO, Records.object("kept"));
            t.store(0, Tid.ZERO, Records.object("root", oid));
            t.vote();
            tid = t.finish();
        }
        try (MappingStorage s = MappingStorage.persisted("p", file, 1000, 64)) {
            assertThat(s.lastTid()).isEqualTo(tid);
            assertThat(Records.text(s.load(oid).data())).isEqualTo("kept");
            assertThat(s.newOids(1)[0]).isGreaterThan(oid);
            assertThat(s.objectCount()).isEqualTo(2);
            List<TransactionRecord> txns = new ArrayList<>();
            try (CloseableIterator<TransactionRecord> it = s.iterator(Tid.ZERO, Tid.MAX)) {
                it.forEachRemaining(txns::add);
            }
            assertThat(txns).hasSize(1);
            assertThat(txns.get(0).metadata()).isEqualTo(TransactionMetadata.of("ann", "first"));
            assertThat(txns.get(0).packed()).isFalse();
            assertThat(txns.get(0).revisions()).hasSize(2);
            assertThatThrownBy(() -> MappingStorage.persisted("p2", file, 1000, 64))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("already open");
        }
    }

    @Test
    void vote_beyondCapacity_failsClearlyAndCommitsNothing() {
        try (MappingStorage s = MappingStorage.inMemory("tiny", 10, 64)) {
            long[] oids = s.newOids(11);
            StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
            for (long o : oids) t.store(o, Tid.ZERO, Records.object("x"));
            assertThatThrownBy(t::vote)
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("is full")
                    .hasMessageContaining("entries=");
            assertThat(s.objectCount()).isZero();
            assertThat(s.lastTid()).isEqualTo(Tid.ZERO);
        }
    }

    @Test
    void store_recordFarAboveMapEntryLimit_isSpilledIntoChunksAndChunksFreedWhenReplaced() {
        Path file = dir.resolve("big.cairn");
        long oid;
        byte[] big = Records.object("x".repeat(200_000));
        try (MappingStorage s = MappingStorage.persisted("big", file, 1000, 64)) {
            oid = s.newOids(1)[0];
            long t1 = Kit.commit(s, oid, Tid.ZERO, big);
            assertThat(s.store().chunksIfAny().longSize()).isGreaterThan(50); // the record's chunks
            try (StorageView v = s.openView()) {
                Kit.commit(s, oid, t1, Records.object("small now"));
                assertThat(s.store().chunksIfAny().longSize()).isZero(); // old chunks freed...
                assertThat(v.load(oid).data()).isEqualTo(big); // ...while the view reads the side chain
            }
            Kit.commit(s, oid, s.load(oid).tid(), big);
        }
        try (MappingStorage s = MappingStorage.persisted("big", file, 1000, 64)) {
            assertThat(s.load(oid).data()).isEqualTo(big);
            assertThat(s.history(oid, 1).get(0).size()).isEqualTo(big.length);
        }
    }

    @Test
    void pack_removesUnreachable() {
        try (MappingStorage s = small("pack")) {
            long[] o = s.newOids(3);
            StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
            t.store(0, Tid.ZERO, Records.object("root", o[0]));
            t.store(o[0], Tid.ZERO, Records.object("child"));
            t.store(o[1], Tid.ZERO, Records.object("orphan"));
            t.store(o[2], Tid.ZERO, new byte[] {(byte) 0x80, 3, 'x', '.'});
            t.vote();
            t.finish();
            PackResult r = s.pack(s.lastTid(), PackProgress.NONE);
            assertThat(r.removedObjects()).isEqualTo(1);
            assertThat(s.objectCount()).isEqualTo(3);
            assertThatThrownBy(() -> s.load(o[1])).isInstanceOf(PosKeyException.class);
        }
    }

    @Test
    void uri_paramsParsedAndUnknownRefused() {
        try (Storage s = Storages.open("mem:?entries=500&avgValueSize=100")) {
            assertThat(s).isInstanceOf(MappingStorage.class);
        }
        assertThatThrownBy(() -> Storages.open("mem:?entris=5"))
                .isInstanceOf(InvalidStorageUriException.class)
                .hasMessageContaining("entris")
                .hasMessageContaining("avgValueSize");
        assertThatThrownBy(() -> Storages.open("mem:?entries=-3"))
                .isInstanceOf(InvalidStorageUriException.class)
                .hasMessageContaining("entries='-3'");
        Path f = dir.resolve("u.cairn");
        try (Storage s = Storages.open("mem:" + f + "?entries=100")) {
            assertThat(s.capabilities()).contains(Capability.DURABLE);
        }
    }
}
