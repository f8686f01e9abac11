package org.cairndb.tasks;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;

/**
 * A five-field cron expression ({@code minute hour day-of-month month day-of-week}, as in
 * crontab(5)): each field {@code *}, a number, a range {@code a-b}, a step {@code * /n} or
 * {@code a-b/n}, or a comma-separated list of those; day of week 0-7 (0 and 7 are Sunday).
 * When both day fields are restricted a day matches either, as crontab does. Times are in UTC
 * unless a zone is given.
 *
 * <p>{@link #next} walks days, then hours, then minutes, skipping whole days and hours that
 * cannot match, so it costs at most a few thousand steps even for "29 February".
 */
public final class Cron {
    private final String expression;
    private final BitSet minutes, hours, days, months, weekdays;
    private final boolean anyDay, anyWeekday;
    private final ZoneId zone;

    private Cron(String expression, ZoneId zone) {
        this.expression = expression;
        this.zone = zone;
        String[] f = expression.trim().split("\\s+");
        if (f.length != 5) throw bad(expression, "it needs 5 fields (minute hour day month weekday), has " + f.length);
        minutes = field(expression, f[0], 0, 59);
        hours = field(expression, f[1], 0, 23);
        days = field(expression, f[2], 1, 31);
        months = field(expression, f[3], 1, 12);
        weekdays = field(expression, f[4], 0, 7);
        if (weekdays.get(7)) weekdays.set(0);
        anyDay = f[2].equals("*");
        anyWeekday = f[4].equals("*");
    }

    public static Cron parse(String expression) {
        return new Cron(expression, ZoneId.of("UTC"));
    }

    public static Cron parse(String expression, ZoneId zone) {
        return new Cron(expression, zone);
    }

    private static IllegalArgumentException bad(String expr, String why) {
        return new IllegalArgumentException(
                "bad cron expression '" + expr + "': " + why + "; example: '*/5 * * * *' (every 5 minutes)");
    }

    private static BitSet field(String expr, String text, int min, int max) {
        BitSet bits = new BitSet(max + 1);
        for (String part : text.split(",")) {
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = number(expr, part.substring(slash + 1), 1, max);
                range = part.substring(0, slash);
            }
            int lo, hi;
            if (range.equals("*")) {
                lo = min;
                hi = max;
            } else if (range.contains("-")) {
                String[] ab = range.split("-", 2);
                lo = number(expr, ab[0], min, max);
                hi = number(expr, ab[1], min, max);
                if (lo > hi) throw bad(expr, "range " + range + " goes backwards");
            } else {
                lo = number(expr, range, min, max);
                hi = slash >= 0 ? max : lo;
            }
            for (int v = lo; v <= hi; v += step) bits.set(v);
        }
        return bits;
    }

    private static int number(String expr, String s, int min, int max) {
        try {
            int v = Integer.parseInt(s);
            if (v < min || v > max) throw bad(expr, s + " is outside " + min + "-" + max);
            return v;
        } catch (NumberFormatException e) {
            throw bad(expr, "'" + s + "' is not a number");
        }
    }

    private boolean dayMatches(LocalDate d) {
        if (!months.get(d.getMonthValue())) return false;
        boolean dom = days.get(d.getDayOfMonth());
        boolean dow = weekdays.get(d.getDayOfWeek().getValue() % 7);
        if (anyDay && anyWeekday) return true;
        if (anyDay) return dow;
        if (anyWeekday) return dom;
        return dom || dow;
    }

    /** The first matching minute strictly after {@code afterMillis} (epoch ms), as epoch ms. */
    public long next(long afterMillis) {
        ZonedDateTime t = ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(afterMillis), zone)
                .truncatedTo(ChronoUnit.MINUTES)
                .plusMinutes(1);
        LocalDateTime local = t.toLocalDateTime();
        for (int i = 0; i < 366 * 8; i++) {
            LocalDate d = local.toLocalDate();
            if (dayMatches(d)) {
                for (int h = local.getHour(); h < 24; h++) {
                    if (!hours.get(h)) continue;
                    int from = h == local.getHour() ? local.getMinute() : 0;
                    int m = minutes.nextSetBit(from);
                    if (m >= 0 && m < 60)
                        return d.atTime(h, m).atZone(zone).toInstant().toEpochMilli();
                }
            }
            local = d.plusDays(1).atStartOfDay();
        }
        throw new IllegalArgumentException("cron expression '" + expression + "' never matches (e.g. 31 February)");
    }

    @Override
    public String toString() {
        return expression;
    }
}
