package org.cairndb.mapping;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

/**
 * Opens a Chronicle Map file that was not closed (the process was killed) through
 * Chronicle's recovery, collecting what Chronicle found instead of letting it log an ERROR
 * line per damaged entry: Cairn's journal check ({@link JournalCheck}) then decides what the
 * data is, and one line says what was recovered. Chronicle's own warnings go to the
 * {@code net.openhft} logger, which the launcher shows only with {@code --verbose}.
 */
final class ChronicleRecovery {
    private ChronicleRecovery() {}

    /** What Chronicle's recovery of one file reported. */
    record Report(int corruptions, String first) {
        String describe() {
            return corruptions == 0
                    ? ""
                    : "; Chronicle's recovery repaired " + corruptions + " damaged entr"
                            + (corruptions == 1 ? "y" : "ies") + " of its index (first: " + first + ")";
        }
    }

    static ChronicleMap<Long, byte[]> recover(
            ChronicleMapBuilder<Long, byte[]> builder, Path file, AtomicReference<Report> report) throws IOException {
        AtomicInteger n = new AtomicInteger();
        AtomicReference<String> first = new AtomicReference<>();
        ChronicleMap<Long, byte[]> m = builder.recoverPersistedTo(file.toFile(), false, c -> {
            n.incrementAndGet();
            first.compareAndSet(null, c.message());
        });
        report.set(new Report(n.get(), first.get()));
        return m;
    }
}
