package org.cairndb.migrate.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import org.cairndb.storage.PackResult;
import org.cairndb.storage.Storage;
import org.cairndb.storage.Tid;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn pack URI --before DATE | --days N}. */
@Command(
        name = "pack",
        mixinStandardHelpOptions = true,
        description = {
            "Packs a storage: drops revisions no longer current before the given time (history storages keep the one"
                    + " current then and every later one) and objects not reachable from the root."
        },
        footer = {
            "%nExamples:",
            "  cairn pack postgres://cairn@db/cairn --days 7",
            "  cairn pack mem:/var/cairn/main.cairn --before 2026-11-01",
            "  cairn pack mem:/var/cairn/main.cairn --before 2026-11-01T12:00:00Z"
        })
public final class PackCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "URI", description = "Storage to pack.")
    String uri;

    @ArgGroup(exclusive = true, multiplicity = "1")
    When when;

    static final class When {
        @Option(
                names = "--before",
                paramLabel = "DATE",
                description = "UTC date (2026-11-01), date-time (2026-11-01T12:00:00[Z|+01:00]) or a 16-digit hex tid.")
        String before;

        @Option(
                names = "--days",
                paramLabel = "N",
                description = "Keep N days of history: pack before now minus N days.")
        Integer days;
    }

    @Override
    public Integer call() {
        return Cli.run("pack", System.err, () -> {
            long tid = when.days != null ? daysAgo(when.days, Instant.now()) : parseBefore(when.before);
            try (Storage s = Cli.openExisting(uri, "")) {
                System.out.println("pack: packing " + s.name() + " before " + Tid.describe(tid));
                long start = System.nanoTime();
                PackResult r = s.pack(
                        tid,
                        (phase, done, total) ->
                                System.out.println("pack: " + phase + " " + done + (total >= 0 ? "/" + total : "")));
                System.out.printf(
                        "pack: done in %.1f s: %d revisions and %d objects removed, %d objects kept%n",
                        (System.nanoTime() - start) / 1e9, r.removedRevisions(), r.removedObjects(), r.keptObjects());
                return Cli.OK;
            }
        });
    }

    static long daysAgo(int days, Instant now) {
        if (days < 0) throw new Cli.BadArgument("--days must be 0 or more, was " + days);
        return Tid.of(now.minus(Duration.ofDays(days)));
    }

    /** A date, date-time or hex tid → the tid to pack before. */
    static long parseBefore(String s) {
        String t = s.trim();
        if (t.matches("[0-9a-fA-F]{16}")) return Tid.parseHex(t.toLowerCase());
        try {
            if (t.length() == 10)
                return Tid.of(LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC));
            if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$"))
                return Tid.of(OffsetDateTime.parse(t).toInstant());
            return Tid.of(LocalDateTime.parse(t).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            throw new Cli.BadArgument("--before '" + s
                    + "' is not a date (2026-11-01), a date-time (2026-11-01T12:00:00Z) or a 16-digit hex tid");
        }
    }
}
