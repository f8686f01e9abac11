package org.cairndb.storage.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.cairndb.storage.Capability;
import org.cairndb.storage.HistoryEntry;
import org.cairndb.storage.PosKeyException;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageMisuseException;
import org.cairndb.storage.TransactionMetadata;
import org.junit.jupiter.api.Test;

/**
 * history(oid, max): revisions newest first with tid, size and the transaction's metadata;
 * every revision for {@link Capability#HISTORY} storages, the current one otherwise.
 * (ZODB's HistoryStorage.checkSimpleHistory.)
 */
public interface HistoryContract extends StorageContract {

    @Test
    default void history_newestFirstWithSizesAndMetadata(Storage s) {
        long oid = s.newOids(1)[0];
        long[] tids = new long[4];
        long read = 0;
        for (int i = 0; i < 4; i++) {
            var t = s.begin(TransactionMetadata.of("user" + i, "revision " + i));
            t.store(oid, read, Records.object("x".repeat(i + 1)));
            t.vote();
            read = tids[i] = t.finish();
        }
        List<HistoryEntry> h = s.history(oid, 100);
        HistoryEntry newest = h.get(0);
        assertThat(newest.oid()).isEqualTo(oid);
        assertThat(newest.tid()).isEqualTo(tids[3]);
        assertThat(newest.size()).isEqualTo(Records.object("xxxx").length);
        assertThat(newest.metadata()).isEqualTo(TransactionMetadata.of("user3", "revision 3"));
        if (s.supports(Capability.HISTORY)) {
            assertThat(h).extracting(HistoryEntry::tid).containsExactly(tids[3], tids[2], tids[1], tids[0]);
            assertThat(h.get(3).metadata().description()).isEqualTo("revision 0");
            assertThat(h.get(3).size()).isEqualTo(Records.object("x").length);
        } else {
            assertThat(h).hasSize(1);
        }
    }

    @Test
    default void history_maxLimitsTheCount(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("0"));
        for (int i = 1; i < 6; i++) Kit.update(s, a[0], Records.object(Integer.toString(i)));
        assertThat(s.history(a[0], 1)).hasSize(1);
        assertThat(s.history(a[0], 3)).hasSize(s.supports(Capability.HISTORY) ? 3 : 1);
    }

    @Test
    default void history_unknownOid_emptyOrPosKey(Storage s) {
        long oid = s.newOids(1)[0];
        try {
            assertThat(s.history(oid, 10)).isEmpty();
        } catch (PosKeyException e) {
            assertThat(e.oid()).isEqualTo(oid);
        }
    }

    @Test
    default void history_deletion_hasSizeMinusOne(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("alive"));
        long td = Kit.delete(s, a[0]);
        List<HistoryEntry> h;
        try {
            h = s.history(a[0], 10);
        } catch (PosKeyException e) {
            h = List.of();
        }
        if (s.supports(Capability.HISTORY)) {
            assertThat(h).extracting(HistoryEntry::tid).containsExactly(td, a[1]);
            assertThat(h.get(0).size()).isEqualTo(-1);
        } else if (!h.isEmpty()) {
            assertThat(h.get(0).tid()).isEqualTo(td);
            assertThat(h.get(0).size()).isEqualTo(-1);
        }
    }

    @Test
    default void history_zeroMax_isEmpty(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("x"));
        assertThat(s.history(a[0], 0)).isEmpty();
        assertThat(s.history(a[0], 1)).hasSize(1);
    }

    @Test
    default void history_negativeMax_isMisuse(Storage s) {
        long[] a = Kit.commitNew(s, Records.object("x"));
        assertThatThrownBy(() -> s.history(a[0], -1)).isInstanceOf(StorageMisuseException.class);
    }
}
