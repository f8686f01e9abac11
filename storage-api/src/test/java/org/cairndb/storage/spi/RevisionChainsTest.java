package org.cairndb.storage.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared MVCC core's chain trimming, on a bare revision class (the storages' own tests run it in place). */
class RevisionChainsTest {
    static final class R extends ChainedRevision<R> {
        R(long tid, long gapMin, R prev) {
            super(tid, gapMin, prev);
        }

        @Override
        protected R withLinks(long newGapMin, R newPrev) {
            return new R(tid, newGapMin, newPrev);
        }
    }

    private static R chain(long... newestFirst) {
        R r = null;
        for (int i = newestFirst.length - 1; i >= 0; i--) r = new R(newestFirst[i], ChainedRevision.NO_GAP, r);
        return r;
    }

    @Test
    void nothingDropped_returnsTheSameChain() {
        R head = chain(30, 20, 10);
        assertThat(RevisionChains.trim(head, (lo, hi) -> true, r -> { })).isSameAs(head);
    }

    @Test
    void keepsWhatASnapshotSees_andMarksTheGapOfWhatWasDropped() {
        R head = chain(30, 20, 10);
        List<Long> dropped = new ArrayList<>();
        // A snapshot at 25 sees revision 20 (visible over [20, 30)); nobody sees 10.
        R t = RevisionChains.trim(head, (lo, hi) -> lo <= 25 && 25 < hi, r -> dropped.add(r.tid));
        assertThat(dropped).containsExactly(10L);
        assertThat(t.tid).isEqualTo(30);
        assertThat(t.prev.tid).isEqualTo(20);
        assertThat(t.prev.prev).isNull();
        assertThat(t.prev.gapMin).as("a reader below 20 must learn that something was dropped").isEqualTo(10);
        assertThat(t.hasGapBelow()).isFalse();
    }

    @Test
    void nobodyReadingOlder_leavesTheNewest_withTheGapOfAllBelow() {
        R t = RevisionChains.trim(chain(30, 20, 10), (lo, hi) -> false, r -> { });
        assertThat(t.prev).isNull();
        assertThat(t.gapMin).isEqualTo(10);
        assertThat(t.upperBoundForOlder()).isEqualTo(10);
    }

    @Test
    void readersOf_thePublishedTidAndOpenViews() {
        ViewRegistry views = new ViewRegistry();
        long[] published = {30};
        RevisionChains.Need need = RevisionChains.readersOf(views, () -> published[0]);
        assertThat(need.any(20, 30)).isFalse();
        assertThat(need.any(30, Long.MAX_VALUE)).isTrue();
        ViewRegistry.Ticket t = views.register(() -> 25);
        assertThat(need.any(20, 30)).isTrue();
        views.unregister(t);
        assertThat(need.any(20, 30)).isFalse();
    }

    @Test
    void exactly_findsTheRevisionOfATid_orNull() {
        R head = chain(30, 20, 10);
        assertThat(RevisionChains.exactly(head, 20).tid).isEqualTo(20);
        assertThat(RevisionChains.exactly(head, 25)).isNull();
        assertThat(RevisionChains.length(head)).isEqualTo(3);
    }
}
