package org.cairndb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class TidTest {

    @Test
    void of_knownZodbTids_fromSmallFsManifest() {
        // migrate-tool's ZODB fixtures (src/test/resources/zodb): 03f58e0008888888 is 2024-01-01 00:00:02
        // (FILESTORAGE_FORMAT.md)
        assertThat(Tid.of(Instant.parse("2024-01-01T00:00:02Z"))).isEqualTo(0x03f58e0008888888L);
        assertThat(Tid.hex(Tid.of(Instant.parse("2024-01-01T00:00:02Z")))).isEqualTo("03f58e0008888888");
        // 0x0ddddddd / 2^32 * 60 s = 3.25 s; 0x0eeeeeee = 3.5 s
        assertThat(Tid.of(Instant.parse("2024-01-01T00:00:03.250Z"))).isEqualTo(0x03f58e000dddddddL);
        assertThat(Tid.of(Instant.parse("2024-01-01T00:00:03.500Z"))).isEqualTo(0x03f58e000eeeeeeeL);
    }

    @Test
    void toInstant_knownTid_readsAsUtcTime() {
        Instant t = Tid.toInstant(0x03f58e0008888888L);
        assertThat(t).isBetween(Instant.parse("2024-01-01T00:00:01.999Z"), Instant.parse("2024-01-01T00:00:02.001Z"));
        assertThat(Tid.toInstant(0x03f58e000eeeeeeeL))
                .isBetween(Instant.parse("2024-01-01T00:00:03.499Z"), Instant.parse("2024-01-01T00:00:03.501Z"));
    }

    @Test
    void of_highWordCountsMinutesWithThirtyOneDayMonths() {
        // ((((124*12 + 0)*31 + 0)*24 + 0)*60 + 0) = 0x03f58e00 minutes for 2024-01-01 00:00
        assertThat(Tid.of(Instant.parse("2024-01-01T00:00:00Z")) >>> 32).isEqualTo(0x03f58e00L);
        long march1 = Tid.of(Instant.parse("2024-03-01T00:00:00Z")) >>> 32;
        long feb29 = Tid.of(Instant.parse("2024-02-29T00:00:00Z")) >>> 32;
        assertThat(march1 - feb29).isEqualTo(3L * 24 * 60); // Feb packs 31 days: 29, 30, 31 skipped
    }

    @Test
    void of_before1900_refused() {
        assertThatThrownBy(() -> Tid.of(Instant.parse("1899-12-31T23:59:59Z")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1900");
    }

    @Test
    void next_clockWentBack_stillGreater() {
        long last = Tid.of(Instant.parse("2030-06-01T12:00:00Z"));
        long next = Tid.next(last, Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(next).isEqualTo(last + 1);
    }

    @Test
    void next_sameTick_lastPlusOne_laterClock_clockTid() {
        Instant now = Instant.parse("2025-05-05T05:05:05.5Z");
        long t = Tid.of(now);
        assertThat(Tid.next(t, now)).isEqualTo(t + 1);
        assertThat(Tid.next(Tid.ZERO, now)).isEqualTo(t);
        assertThat(Tid.next(t - 10, now)).isEqualTo(t);
    }

    @Test
    void next_manyInARow_strictlyIncreasing() {
        long last = Tid.ZERO;
        for (int i = 0; i < 10_000; i++) {
            long n = Tid.next(last);
            assertThat(n).isGreaterThan(last);
            last = n;
        }
    }

    @Test
    void parseHex_roundTripAndBadInput() {
        assertThat(Tid.parseHex("03f58e0008888888")).isEqualTo(0x03f58e0008888888L);
        assertThat(Tid.parseHex(Tid.hex(-1L))).isEqualTo(-1L);
        assertThatThrownBy(() -> Tid.parseHex("03f58e00"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16 hex digits");
        assertThatThrownBy(() -> Tid.parseHex("03f58e000888888g")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bytes_bigEndian() {
        assertThat(Tid.bytes(0x0102030405060708L)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(Oid.bytes(1)).containsExactly(0, 0, 0, 0, 0, 0, 0, 1);
    }

    @Test
    void describe_zeroAndReal() {
        assertThat(Tid.describe(Tid.ZERO)).contains("none");
        assertThat(Tid.describe(0x03f58e0008888888L)).startsWith("03f58e0008888888 (2024-01-01T00:00:0");
    }

    @Property(tries = 300)
    void hex_roundTrip(@ForAll long tid) {
        assertThat(Tid.parseHex(Tid.hex(tid))).isEqualTo(tid);
    }

    /** Instants between 1900 and 2900 survive of → toInstant within the encoding's resolution. */
    @Property(tries = 500)
    void of_toInstant_roundTripWithinResolution(
            @ForAll @LongRange(min = -2_208_988_800L, max = 29_000_000_000L) long seconds,
            @ForAll @LongRange(min = 0, max = 999_999_999) long nanos) {
        Instant t = Instant.ofEpochSecond(seconds, nanos);
        long tid = Tid.of(t);
        Instant back = Tid.toInstant(tid);
        assertThat(Math.abs(back.toEpochMilli() - t.toEpochMilli())).isLessThanOrEqualTo(1);
        assertThat(tid).isNotNegative(); // 1900-01-01T00:00 itself is tid 0
    }

    /** The encoding is monotonic: later instants never get smaller tids. */
    @Property(tries = 500)
    void of_monotonicInTime(
            @ForAll @LongRange(min = 0, max = 20_000_000_000L) long seconds,
            @ForAll @LongRange(min = 0, max = 100_000_000L) long laterBySeconds) {
        Instant a = Instant.ofEpochSecond(seconds);
        assertThat(Tid.of(a.plusSeconds(laterBySeconds))).isGreaterThanOrEqualTo(Tid.of(a));
    }
}
