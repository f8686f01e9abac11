package org.cairndb.storage;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;

/**
 * Transaction ids in ZODB's TimeStamp encoding, so that a tid reads as a UTC time and data
 * exported to or imported from ZODB keeps its tids.
 *
 * <p>A tid is 8 bytes, big-endian, read here as an unsigned 64-bit number held in a
 * {@code long}. The high 32 bits count minutes since 1900-01-01 00:00 UTC, packed as
 * {@code ((((year - 1900) * 12 + month - 1) * 31 + day - 1) * 24 + hour) * 60 + minute};
 * the low 32 bits are the seconds within that minute in units of 60 / 2^32 s. Because the
 * packing is monotonic in time, comparing tids as unsigned numbers compares their times;
 * every tid Cairn makes (years 1900..2920) stays below 2^63, so plain {@code long}
 * comparison works too.
 *
 * <p>{@link #ZERO} (all zero bytes) is "no tid": the read tid of an object never stored.
 */
public final class Tid {
    public static final long ZERO = 0L;
    /** Larger than every real tid: "no upper bound" in ranges. */
    public static final long MAX = Long.MAX_VALUE;

    private static final double SECOND_UNITS = 4294967296.0 / 60.0; // 2^32 / 60

    private Tid() {}

    /** The tid of the given instant (truncated to the encoding's resolution, about 14 ns). */
    public static long of(Instant instant) {
        LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        if (t.getYear() < 1900) {
            throw new IllegalArgumentException(
                    "time " + instant + " is before 1900, the start of ZODB's TimeStamp encoding");
        }
        long minutes = ((((long) (t.getYear() - 1900) * 12 + t.getMonthValue() - 1) * 31 + t.getDayOfMonth() - 1) * 24
                                + t.getHour())
                        * 60
                + t.getMinute();
        double seconds = t.getSecond() + t.getNano() / 1e9;
        long low = (long) (seconds * SECOND_UNITS);
        if (low > 0xFFFFFFFFL) low = 0xFFFFFFFFL;
        return (minutes << 32) | low;
    }

    /** The UTC instant a tid stands for. */
    public static Instant toInstant(long tid) {
        long minutes = tid >>> 32;
        long low = tid & 0xFFFFFFFFL;
        long minute = minutes % 60;
        minutes /= 60;
        long hour = minutes % 24;
        minutes /= 24;
        long day = minutes % 31 + 1;
        minutes /= 31;
        long month = minutes % 12 + 1;
        minutes /= 12;
        long year = minutes + 1900;
        double seconds = low / SECOND_UNITS;
        long whole = (long) seconds;
        long nanos = Math.min(999_999_999L, Math.round((seconds - whole) * 1e9));
        // A packed day may exceed the month's length (ZODB packs 31 days per month); roll over as ZODB does.
        LocalDateTime base = LocalDateTime.of((int) year, (int) month, 1, (int) hour, (int) minute)
                .plusDays(day - 1)
                .plusSeconds(whole)
                .plusNanos(nanos);
        return base.toInstant(ZoneOffset.UTC);
    }

    /**
     * A tid for a transaction committing now that is greater than {@code last}, even when the
     * clock has gone back or two transactions fall in the same clock tick (then it is last + 1,
     * as ZODB's {@code TimeStamp.laterThan}).
     */
    public static long next(long last, Instant now) {
        long candidate = of(now);
        return candidate > last ? candidate : last + 1;
    }

    /** {@link #next(long, Instant)} with the system clock. */
    public static long next(long last) {
        return next(last, Instant.now());
    }

    /** 16 hex digits, as ZODB prints tids. */
    public static String hex(long tid) {
        return HexFormat.of().toHexDigits(tid);
    }

    /** Parses 16 hex digits (the form {@link #hex} writes). */
    public static long parseHex(String hex) {
        if (hex.length() != 16) {
            throw new IllegalArgumentException("tid '" + hex + "' must be 16 hex digits");
        }
        return HexFormat.fromHexDigitsToLong(hex);
    }

    /** The tid as its 8 big-endian bytes. */
    public static byte[] bytes(long tid) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) tid;
            tid >>>= 8;
        }
        return b;
    }

    /** A readable form: hex and UTC time, e.g. {@code 03f1a2b4c5d6e7f8 (2026-11-26T20:41:02.123Z)}. */
    public static String describe(long tid) {
        if (tid == ZERO) return "0000000000000000 (none)";
        return hex(tid) + " (" + toInstant(tid) + ")";
    }
}
