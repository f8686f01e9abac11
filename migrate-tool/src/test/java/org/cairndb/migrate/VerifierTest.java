package org.cairndb.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.cairndb.storage.Revision;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;
import org.junit.jupiter.api.Test;

class VerifierTest {
    final List<TransactionRecord> history = TestHistories.random(9, 100, 8);

    ListStorage of(List<TransactionRecord> txns, String name) {
        ListStorage s = new ListStorage(name);
        txns.forEach(s::restore);
        return s;
    }

    @Test
    void compareAll_equal_givesSameDigestBothWays() {
        VerifyResult ab = Verifier.compareAll(of(history, "a"), of(history, "b"), Progress.NONE, new StopSignal());
        VerifyResult ba = Verifier.compareAll(of(history, "b"), of(history, "a"), Progress.NONE, new StopSignal());
        assertThat(ab.equal()).isTrue();
        assertThat(ab.digest()).hasSize(64).isEqualTo(ba.digest());
        assertThat(ab.transactions()).isEqualTo(100);
    }

    @Test
    void compareAll_oneByteChanged_namesTransactionOidAndIndex() {
        List<TransactionRecord> changed = new ArrayList<>(history);
        TransactionRecord t = changed.get(40);
        Revision r = t.revisions().stream()
                .filter(x -> x.data() != null && x.data().length > 3)
                .findFirst()
                .orElseThrow();
        byte[] d = r.data().clone();
        d[3] ^= 1;
        List<Revision> revs = new ArrayList<>(t.revisions());
        revs.set(revs.indexOf(r), new Revision(r.oid(), r.tid(), d, r.dataTid()));
        changed.set(40, new TransactionRecord(t.tid(), t.packed(), t.metadata(), revs));
        VerifyResult v = Verifier.compareAll(of(history, "a"), of(changed, "b"), Progress.NONE, new StopSignal());
        assertThat(v.equal()).isFalse();
        assertThat(v.difference())
                .contains(org.cairndb.storage.Tid.hex(t.tid()))
                .contains("0x" + Long.toHexString(r.oid()))
                .contains("bytes differ first at index 3");
        assertThat(v.transactions()).isEqualTo(40);
    }

    @Test
    void compareAll_metadataOrLength_differences() {
        List<TransactionRecord> changed = new ArrayList<>(history);
        TransactionRecord t = changed.get(10);
        changed.set(
                10,
                new TransactionRecord(
                        t.tid(),
                        t.packed(),
                        new TransactionMetadata(
                                "someone else",
                                t.metadata().description(),
                                t.metadata().extension()),
                        t.revisions()));
        assertThat(Verifier.compareAll(of(history, "a"), of(changed, "b"), Progress.NONE, new StopSignal())
                        .difference())
                .contains("user");
        assertThat(Verifier.compareAll(
                                of(history, "a"), of(history.subList(0, 99), "b"), Progress.NONE, new StopSignal())
                        .difference())
                .contains("b ends after 99 transactions");
    }

    @Test
    void compareCurrent_sameStateDifferentHistory_isEqual() {
        // b holds only the current revision of every object, in one transaction per object: same current state
        ListStorage a = of(history, "a");
        List<TransactionRecord> flat = new ArrayList<>();
        var view = a.openView();
        for (long oid : Verifier.oidsOf(a, a)) {
            try {
                var l = view.load(oid);
                flat.add(new TransactionRecord(l.tid(), false, null, List.of(Revision.of(oid, l.tid(), l.data()))));
            } catch (org.cairndb.storage.PosKeyException gone) {
                // deleted: absent on both sides
            }
        }
        flat.sort(java.util.Comparator.comparingLong(TransactionRecord::tid));
        // several objects may share a tid: merge them
        List<TransactionRecord> merged = new ArrayList<>();
        for (TransactionRecord t : flat) {
            if (!merged.isEmpty() && merged.get(merged.size() - 1).tid() == t.tid()) {
                TransactionRecord m = merged.remove(merged.size() - 1);
                List<Revision> rs = new ArrayList<>(m.revisions());
                rs.addAll(t.revisions());
                merged.add(new TransactionRecord(t.tid(), false, null, rs));
            } else {
                merged.add(t);
            }
        }
        ListStorage b = of(merged, "b");
        assertThat(Verifier.compareAll(a, b, Progress.NONE, new StopSignal()).equal())
                .isFalse();
        VerifyResult v = Verifier.compareCurrent(a, b, Progress.NONE, new StopSignal());
        assertThat(v.equal()).as(v.toString()).isTrue();
        assertThat(v.records()).isEqualTo(a.objectCount());
        List<TransactionRecord> less = new ArrayList<>(merged);
        less.remove(less.size() / 2);
        assertThat(Verifier.compareCurrent(a, of(less, "c"), Progress.NONE, new StopSignal())
                        .difference())
                .contains("none in c");
    }
}
