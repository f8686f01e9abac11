package org.cairndb.migrate.cli;

import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.Storage;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn info URI}. */
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        description = {
            "Describes a storage: size, number of objects, transactions and records, the last transaction's tid and time,"
                    + " and its capabilities. Counting transactions reads them all; --no-count skips that."
        })
public final class InfoCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "URI", description = "Storage to describe.")
    String uri;

    @Option(
            names = "--no-count",
            negatable = false,
            description = "Do not iterate transactions to count them (fast on huge storages).")
    boolean noCount;

    @Override
    public Integer call() {
        return Cli.run("info", System.err, () -> {
            try (Storage s = Cli.openExisting(uri, "")) {
                System.out.println(describe(s, !noCount));
                return Cli.OK;
            }
        });
    }

    static String describe(Storage s, boolean count) {
        StringBuilder b = new StringBuilder();
        long size = s.sizeInBytes();
        long last = s.lastTid();
        b.append(String.format("storage       %s%n", s.name()));
        b.append(String.format(
                "size          %s%n",
                size < 0
                        ? "unknown (the storage cannot tell)"
                        : human(size)
                                + String.format(
                                        " (%,d bytes in use: disk blocks or memory, not space reserved)", size)));
        b.append(String.format("objects       %,d%n", s.objectCount()));
        if (count) {
            long txns = 0, recs = 0;
            try (CloseableIterator<TransactionRecord> it = s.iterator(Tid.ZERO, last)) {
                while (it.hasNext()) {
                    txns++;
                    recs += it.next().revisions().size();
                }
            }
            b.append(String.format("transactions  %,d%n", txns));
            b.append(String.format("records       %,d%n", recs));
        }
        b.append(String.format(
                "last tid      %s%n",
                last == Tid.ZERO ? "none (empty storage)" : Tid.hex(last) + "  " + Tid.toInstant(last)));
        b.append(String.format(
                "capabilities  %s",
                s.capabilities().stream()
                        .map(c -> c.name().toLowerCase().replace('_', '-'))
                        .sorted()
                        .collect(Collectors.joining(", "))));
        return b.toString();
    }

    static String human(long bytes) {
        if (bytes < 1024) return bytes + " B";
        String units = "KMGTPE";
        int u = (int) (Math.log(bytes) / Math.log(1024));
        return String.format("%.1f %siB", bytes / Math.pow(1024, u), units.charAt(u - 1));
    }
}
