package org.cairndb.storage.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared MVCC core's chain trimming and walks, on a bare revision class (the storages' own tests run them in place). */
class RevisionChainsTest {
    static final class R extends ChainedRevision<R> {
        final boolean standIn;

        R(long tid, long gapMin, R prev) {
            this(tid, gapMin, prev, false);
        }

        R(long tid, long gapMin, R prev, boolean standIn) {
            super(tid, gapMin, prev);
            this.standIn = standIn;
        }

        @Override
        public boolean standsIn() {
            return standIn;
        }

        @Override
        protected R withLinks(long newGapMin, R newPrev) {
            return new R(tid, newGapMin, newPrev, standIn);
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
        assertThat(RevisionChains.trim(head, (lo, hi) -> true, r -> {})).isSameAs(head);
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
        assertThat(t.prev.gapMin)
                .as("a reader below 20 must learn that something was dropped")
                .isEqualTo(10);
        assertThat(t.hasGapBelow()).isFalse();
    }

    @Test
    void nobodyReadingOlder_leavesTheNewest_withTheGapOfAllBelow() {
        R t = RevisionChains.trim(chain(30, 20, 10), (lo, hi) -> false, r -> {});
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

    // ---- the walks mem: and temp: share ----

    @Test
    void visibleAt_newestNotAfterTheTid_withTheBoundAbove() {
        R head = chain(30, 20, 10);
        RevisionChains.Visible<R> v = RevisionChains.visibleAt(head, 25);
        assertThat(v.seen()).isEqualTo(RevisionChains.Seen.FOUND);
        assertThat(v.found().tid).isEqualTo(20);
        assertThat(v.nextTid(0)).isEqualTo(30);
        RevisionChains.Visible<R> current = RevisionChains.visibleAt(head, 40);
        assertThat(current.found().tid).isEqualTo(30);
        assertThat(current.nextTid(0)).as("the head: the caller's answer").isZero();
        assertThat(RevisionChains.visibleAt(head, 5).seen()).isEqualTo(RevisionChains.Seen.ABSENT);
    }

    @Test
    void visibleAt_insideADroppedRange_isDropped_neverAnOlderRevision() {
        R t = RevisionChains.trim(chain(30, 20, 10), (lo, hi) -> lo <= 25 && 25 < hi, r -> {}); // 10 dropped below 20
        R trimmedTop = RevisionChains.trim(chain(30, 20, 10), (lo, hi) -> lo <= 15 && 15 < hi, r -> {}); // 20 dropped
        assertThat(RevisionChains.visibleAt(t, 12).seen()).isEqualTo(RevisionChains.Seen.DROPPED);
        assertThat(RevisionChains.visibleAt(trimmedTop, 25).seen())
                .as("20 was dropped: 10 is not the answer at 25")
                .isEqualTo(RevisionChains.Seen.DROPPED);
        RevisionChains.Visible<R> v = RevisionChains.visibleAt(trimmedTop, 15);
        assertThat(v.found().tid).isEqualTo(10);
        assertThat(v.nextTid(0))
                .as("10 stopped being current when the dropped 20 was written")
                .isEqualTo(20);
    }

    @Test
    void standIns_areNeverReturned() {
        R standIn = new R(30, ChainedRevision.NO_GAP, new R(20, ChainedRevision.NO_GAP, null), true);
        assertThat(RevisionChains.visibleAt(standIn, 35).seen())
                .as("a stand-in's revision is kept elsewhere")
                .isEqualTo(RevisionChains.Seen.DROPPED);
        assertThat(RevisionChains.visibleAt(standIn, 25).found().tid).isEqualTo(20);
        assertThat(RevisionChains.exactly(standIn, 30)).isNull();
        assertThat(RevisionChains.exactly(standIn, 20).tid).isEqualTo(20);
        assertThat(RevisionChains.published(standIn, 100, 10))
                .extracting(r -> r.tid)
                .containsExactly(20L);
    }

    @Test
    void published_skipsUnpublishedNodes_andStopsAtMax() {
        R head = chain(40, 30, 20, 10);
        assertThat(RevisionChains.published(head, 30, 10))
                .extracting(r -> r.tid)
                .containsExactly(30L, 20L, 10L);
        assertThat(RevisionChains.published(head, 30, 2)).extracting(r -> r.tid).containsExactly(30L, 20L);
        assertThat(RevisionChains.published(head, 30, 0)).isEmpty();
    }
}
