package org.cairndb.storage.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.cairndb.storage.Capability;
import org.cairndb.storage.Oid;
import org.cairndb.storage.PackProgress;
import org.cairndb.storage.ReadOnlyException;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A storage opened read-only (fixtures that can: {@link StorageFixture#canOpenReadOnly()})
 * reports {@link Capability#READ_ONLY}, serves every read, and refuses every write with
 * {@link ReadOnlyException}, changing nothing. (ZODB's ReadOnlyStorage: checkReadMethods,
 * checkWriteMethods.)
 */
public interface ReadOnlyContract extends StorageContract {

    private static Storage readOnlyWithData(StorageFixture f, long[] out) {
        Storage s = f.open();
        Assumptions.assumeTrue(f.canOpenReadOnly(), "fixture " + f + " cannot open a storage read-only");
        long[] a = Kit.commitNew(s, Records.object("a"));
        long tr = Kit.commit(s, Oid.ROOT, Tid.ZERO, Records.object("root", a[0]));
        out[0] = a[0];
        out[1] = tr;
        return f.openReadOnly(s);
    }

    @Test
    default void readOnly_readsWork(StorageFixture f) {
        long[] ids = new long[2];
        Storage ro = readOnlyWithData(f, ids);
        assertThat(ro.supports(Capability.READ_ONLY)).isTrue();
        assertThat(ro.lastTid()).isEqualTo(ids[1]);
        assertThat(Records.text(ro.load(ids[0]).data())).isEqualTo("a");
        assertThat(ro.loadSerial(Oid.ROOT, ids[1]).tid()).isEqualTo(ids[1]);
        try (StorageView v = ro.openView()) {
            assertThat(Records.text(v.load(Oid.ROOT).data())).isEqualTo("root");
        }
        assertThat(Kit.transactions(ro)).isNotEmpty();
        assertThat(ro.history(Oid.ROOT, 5)).isNotEmpty();
        assertThat(ro.objectCount()).isEqualTo(2);
    }

    @Test
    default void readOnly_writesRefusedAndNothingChanges(StorageFixture f) {
        long[] ids = new long[2];
        Storage ro = readOnlyWithData(f, ids);
        assertThatThrownBy(() -> {
                    StorageTransaction t = ro.begin(TransactionMetadata.EMPTY);
                    try {
                        t.store(Oid.ROOT, ids[1], Records.object("write"));
                        t.vote();
                        t.finish();
                    } finally {
                        t.abort();
                    }
                })
                .isInstanceOf(ReadOnlyException.class);
        long next = Tid.next(ids[1]);
        assertThatThrownBy(() -> ro.restore(new TransactionRecord(
                        next,
                        false,
                        TransactionMetadata.EMPTY,
                        List.of(Revision.of(Oid.ROOT, next, Records.object("restored"))))))
                .isInstanceOf(ReadOnlyException.class);
        if (ro.supports(Capability.PACK)) {
            assertThatThrownBy(() -> ro.pack(Tid.MAX, PackProgress.NONE)).isInstanceOf(ReadOnlyException.class);
        }
        assertThat(ro.lastTid()).isEqualTo(ids[1]);
        assertThat(Records.text(ro.load(Oid.ROOT).data())).isEqualTo("root");
    }
}
